/** Emails about a booking (server only: never sent to a page). */
export default {
  subject: {
    confirmed: '【ご予約を受け付けました】マイナンバーカードの受け取り',
    changed: '【ご予約を変更しました】マイナンバーカードの受け取り',
    cancelled: '【ご予約を取り消しました】マイナンバーカードの受け取り',
    reminder: '【明日のご予約】マイナンバーカードの受け取り',
  },
  greeting: 'ご予約いただいた方へ',
  body: {
    confirmed: '次のとおりご予約を受け付けました。当日は案内文と本人確認書類をお持ちください。',
    changed: 'ご予約を次の日時に変更しました。前の日時のご予約はなくなりました。',
    cancelled: '次のご予約を取り消しました。',
    cancelledByStaff:
      '窓口の都合により、次のご予約を取り消しました。理由：{{reason}}\nお手数ですが、予約サイトから別の日時をご予約ください。',
    reminder: '明日は次のご予約の日です。案内文と本人確認書類をお持ちください。',
    freeSlots: '同じ窓口で、いま空いている日時です。\n{{times}}',
    manage:
      '予約の変更・取り消しは、予約サイトに予約番号とパスワードでサインインしてください（締切まで）。',
  },
  facts: {
    when: '日時',
    where: '場所',
    address: '所在地',
    people: '予約番号',
    places: '人数',
  },
  placesCount_one: '{{count}}人',
  placesCount_other: '{{count}}人',
  link: '予約サイト',
  summary: 'マイナンバーカードの受け取り',
  signature: 'マイナンバーカード窓口（このメールは送信専用です）',
} as const;

/** The waitlist's offer email (server only: never sent to a page). */
export default {
  subject: '【キャンセル待ち】ご希望の枠が空きました：マイナンバーカードの受け取り',
  greeting: 'キャンセル待ちに登録いただいた方へ',
  body: 'キャンセル待ちに登録いただいた次の枠に空きが出ました。{{until}}まで、あなたのために確保しています。',
  how: '予約サイトに予約番号とパスワードでサインインし、「この枠で予約する」を押すと予約が確定します。期限を過ぎると、次にお待ちの方へご案内します。',
  facts: {
    when: '日時',
    where: '場所',
    address: '所在地',
    places: '人数',
    until: '確保の期限',
  },
  placesCount_one: '{{count}}人',
  placesCount_other: '{{count}}人',
  closed: {
    subject: '【キャンセル待ち】ご希望の枠は受付を終了しました：別の日時をご予約ください',
    body: 'キャンセル待ちに登録いただいた次の枠は、市の都合により受付を終了しました。キャンセル待ちは終了し、予約はされていません。',
    reason: '窓口からのお知らせ：{{message}}',
    how: '別の日時を予約するには、予約サイトに予約番号とパスワードでサインインし、日時を選び直してください。',
  },
  link: '予約サイト',
  signature: 'マイナンバーカード窓口（このアドレスは送信専用です）',
} as const;

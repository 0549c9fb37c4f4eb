/** The booking site's waitlist: joining from a full time, the line, offers. */
export default {
  join: '{{time}} のキャンセル待ちに登録',
  joinHint:
    '満席の時間は、キャンセル待ちに登録できます。空きが出たら、並んだ順にメールでお知らせし、しばらくの間その枠を確保します。',
  check: {
    title: 'キャンセル待ちの登録内容の確認',
    notice:
      'これは予約ではありません。キャンセル待ちへの登録です。空きが出たら、メールでお知らせします。',
    lead: '内容を確認して「キャンセル待ちに登録する」を押してください。',
    confirm: 'キャンセル待ちに登録する',
  },
  heading: 'キャンセル待ち',
  position: '{{position}}番目にお待ちです',
  places_one: '{{count}}人',
  places_other: '{{count}}人',
  offer: {
    heading: '空きが出ました：{{until}}まで確保しています',
    lead: '期限までに「この枠で予約する」を押すと予約が確定します。',
    confirm: 'この枠で予約する',
    decline: '辞退する',
  },
  leave: 'キャンセル待ちをやめる',
  what: '{{facility}} {{date}} {{time}}',
  facts: { when: '日時', where: '場所', people: '人数', state: '状況' },
  staff: {
    count: '（キャンセル待ち {{waiting}} 件、うち案内中（確保済み） {{offered}} 件）',
  },
  notice: {
    joined: 'キャンセル待ちに登録しました。空きが出たらメールでお知らせします。',
    left: 'キャンセル待ちをやめました。',
    declined: 'ご案内を辞退しました。次にお待ちの方へご案内します。',
    accepted: 'ご予約が確定しました。',
    expired: 'ご案内の期限が過ぎたため、この枠は次にお待ちの方へご案内しました。',
    alreadyWaiting: 'この時間のキャンセル待ちには、すでに登録されています。',
    notFound: 'このキャンセル待ちは見つかりませんでした。',
    refused: 'この枠では予約できませんでした。別の日時をお選びください。',
  },
} as const;

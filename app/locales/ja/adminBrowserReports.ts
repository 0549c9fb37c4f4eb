export default {
  errors: {
    title: 'ブラウザーのエラー',
    lead: '過去 {{days}} 日間に、住民と職員のブラウザーから窓口自身へ届いたエラー（捕捉されない例外、処理されない Promise の拒否、コンテンツセキュリティポリシー違反）を、メッセージとページごとにまとめています。クエリー文字列、Cookie、個人情報は保存しません。',
    none: 'ブラウザーのエラーは届いていません。',
    perDay: '日ごとの件数',
    groups: '最近のエラー',
    example: '{{time}} の例',
  },
  views: {
    title: 'ページの表示回数',
    lead: 'ページごと、日本時間の日ごとの表示回数です。サーバーが数えており、Cookie や識別子は使いません。',
    delivery: '配信状況',
    caption: '過去 {{days}} 日間の表示回数',
    none: 'まだ表示回数はありません。',
  },
  column: {
    day: '日付',
    kind: '種類',
    route: 'ページ',
    count: '件数',
    lastSeen: '最後に届いた日時',
  },
  kind: { error: 'エラー', rejection: '処理されない拒否', csp: 'CSP 違反' },
} as const;

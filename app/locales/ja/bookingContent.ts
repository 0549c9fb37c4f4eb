export default {
  pages: {
    guide: 'ご利用の手引き',
    faq: 'よくある質問',
    terms: '利用規約',
    privacy: '個人情報の取り扱い',
    contact: 'お問い合わせ先',
  },
  notPublished:
    'このページの内容はまだ掲載されていません。ご不明な点は市役所の窓口にお問い合わせください。',
  updated: '最終更新：{{date}}',
  notice: 'お知らせ',
  links: '予約サイトについて',
  toSignIn: '予約サイトのトップへ',
};

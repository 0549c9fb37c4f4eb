export default {
  siteName: '窓口',
  siteTagline: 'マイナンバーカードの手続きとお知らせ',
  titleTemplate: '{{title}} | 窓口',
  skipToMain: '本文へ移動',
  languageSwitch: {
    label: '言語',
    ja: '日本語',
    en: 'English',
  },
  footer: {
    operator: '運営：窓口運営事務局',
    note: 'このサイトは外部のサービスに情報を送りません。',
  },
  form: {
    errorSummaryTitle: '入力内容を確認してください',
    errorPrefix: 'エラー：',
    required: '必須',
    requiredSeparator: '、',
  },
  passkey: {
    cancelled: 'パスキーの操作が取り消されたか、時間切れになりました。もう一度お試しください。',
    failed: 'このブラウザーではパスキーを使えませんでした。別のブラウザーか端末でお試しください。',
    alreadyOnDevice:
      'この端末（パスキー管理ツール）には、すでにこのアカウントのパスキーがあります。別の端末で追加してください。',
    needsJavaScript: 'パスキーを使うには、ブラウザーの JavaScript を有効にしてください。',
    unsupported: 'このブラウザーはパスキーに対応していません。最新のブラウザーをお使いください。',
    autofillLabel: '保存済みのパスキー',
    autofillHint: '入力欄を選ぶと、この端末に保存されたパスキーが候補に表示されます。',
  },
  nav: {
    label: 'メインメニュー',
    my: 'マイページ',
    notices: 'お知らせ',
    todos: 'やること',
    insurance: '保険証の資格情報',
  },
  account: {
    signedInAs: '<name>{{name}}</name> さんでサインイン中',
    signOut: 'サインアウト',
    myPage: 'マイページ',
    signIn: 'サインイン',
    actingFor: '<name>{{name}}</name> さんの代理で操作しています',
    switchBack: '代理をやめる',
    admin: '職員用ページ',
  },
  routeAnnouncement: '{{title}} のページを表示しました',
  maintenance: {
    banner: 'メンテナンスのお知らせ：{{range}} の間、窓口はご利用いただけません。',
    bannerNow: 'メンテナンス中です（{{range}}）。住民向けのページは停止しています。',
    title: 'ただいまメンテナンス中です',
    when: 'メンテナンスの時間：{{range}}（日本時間）',
    comeBack: '{{time}} 以降に、もう一度お越しください。これまでに保存した内容は失われていません。',
  },
  errors: {
    notFound: {
      title: 'ページが見つかりません',
      body: 'お探しのページは移動したか、削除された可能性があります。アドレスに誤りがないかご確認ください。',
      home: 'トップページへ戻る',
    },
    forbidden: {
      title: 'このページを表示する権限がありません',
      body: '必要な権限がないため表示できません。必要な場合は管理者にお問い合わせください。',
    },
    server: {
      title: 'エラーが発生しました',
      body: '申し訳ありません。一時的な問題でページを表示できませんでした。しばらくしてからもう一度お試しください。',
      reference: 'お問い合わせの際は次の番号をお伝えください：{{id}}',
    },
    tooLarge: {
      title: '送信された内容が大きすぎます',
      body: 'このフォームで受け付けられる大きさ（ファイルは16MBまで）を超えているため、受け付けられませんでした。前の画面に戻り、小さいファイルで送信してください。',
    },
    badRequest: {
      title: '送信された内容を読み取れませんでした',
      body: '送信の途中でデータが壊れた可能性があります。前の画面に戻り、もう一度お試しください。',
    },
    methodNotAllowed: {
      title: 'このページではその操作を受け付けていません',
      body: 'このページが対応していない方法で要求されました。リンクまたはアドレス欄から開いてください。',
    },
    unavailable: {
      title: 'ただいま一時的にご利用いただけません',
      body: '記録を一時的に読み書きできません。送信した内容は保存されていません。数秒たってから、もう一度お試しください。',
    },
    crossOrigin: {
      title: '送信を受け付けられませんでした',
      body: 'ほかのサイトからの送信は受け付けていません。このサイトの画面からもう一度操作してください。',
    },
  },
};

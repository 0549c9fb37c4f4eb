export default {
  title: '交付対象者の書き出し',
  lead: '交付対象者を CSV ファイルに書き出します。先頭の 8 列は統合端末の交付対象者一覧と同じ見出しなので、このファイルはそのまま取り込み直せます。続く列は状態、各日時、予約番号、交付の記録です。パスワードは書き出しません。',
  noTargets:
    'まだ交付対象者が取り込まれていません。交付対象者一覧を取り込んでから書き出してください。',
  form: {
    heading: '書き出す内容',
    state: '状態',
    stateHint: '選んだ状態の対象者だけを書き出します。',
    all: 'すべて',
    import: '取り込み',
    importHint: '選んだ取り込みで登録・更新された対象者だけを書き出します。',
    importOption: '{{file}}（{{date}} 取り込み、{{lines}} 行）',
    encoding: '文字コード',
    encodingHint:
      '通常は UTF-8 を選んでください。統合端末など CP932 しか読めない機器に渡すときだけ CP932 を選びます。',
    utf8: 'UTF-8（BOM 付き、Excel で開けます）',
    cp932: 'CP932（Shift_JIS、統合端末用）',
    submit: '件数を確認する',
  },
  encodingName: {
    'utf-8': 'UTF-8',
    cp932: 'CP932',
  },
  state: {
    imported: '取り込み済み',
    setup_done: '交付前設定済み',
    letter_printed: '通知書印刷済み',
    booked: '予約済み',
    issued: '交付済み',
    cancelled: '取り消し',
    reissued: '再交付',
  },
  result: {
    heading: '書き出しの準備ができました',
    count: '{{n}} 件の交付対象者を {{encoding}} で書き出します。',
    none: '条件に合う交付対象者はいません。条件を変えてください。',
    download: 'CSV をダウンロード（{{n}} 件）',
    hint: 'ファイルには氏名、生年月日、住所が含まれます。ダウンロードは監査ログに記録されます。',
  },
  refused: {
    heading: 'CP932 では書き出せません',
    body: '{{rows}} 件の交付対象者に、CP932 で表せない文字（{{characters}}）が含まれています。文字を別の文字に置き換えて書き出すことはしません。文字コードに UTF-8 を選んでください。',
  },
  errors: {
    choose: '一覧から選んでください。',
  },
};

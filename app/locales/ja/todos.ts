export default {
  title: 'やること',
  lead: '期限のある手続きの一覧です。期限は日本時間で判断します。済んだものは「完了にする」で記録できます。',
  open: {
    heading: '対応が必要なもの',
    empty: '対応が必要なやることはありません。',
  },
  closed: {
    heading: '完了・対応不要にしたもの',
    on: '{{date}}に記録',
  },
  status: {
    label: '状態',
    open: '未着手',
    overdue: '期限切れ',
    done: '完了',
    dismissed: '対応不要',
  },
  due: {
    label: '期限',
    none: '期限なし',
    today: '今日が期限です',
    soon_one: '期限が近づいています（あと {{count}} 日）',
    soon_other: '期限が近づいています（あと {{count}} 日）',
    overdue_one: '期限を {{count}} 日過ぎています',
    overdue_other: '期限を {{count}} 日過ぎています',
  },
  where: {
    label: '手続きの場所',
    internal: '手続きのページを開く',
    external: '{{host}} で手続きする（窓口の外のサイトへ移動します）',
    none: 'リンクはありません',
  },
  error: '操作を完了できませんでした。ページを読み込み直して、もう一度お試しください。',
  markDone: '完了にする',
  dismiss: '対応不要にする',
  confirm: {
    doneTitle: '次のやることを完了にしますか？',
    dismissTitle: '次のやることを対応不要にしますか？',
    lead: '記録すると「完了・対応不要にしたもの」に移り、元には戻せません。',
    doneButton: '完了にする',
    dismissButton: '対応不要にする',
    cancel: 'やめる',
  },
  updated: {
    done: '次のやることを完了にしました：',
    dismissed: '次のやることを対応不要にしました：',
  },
} as const;

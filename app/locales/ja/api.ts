export default {
  problem: {
    validation: '入力内容に誤りがあります',
    unauthorized: 'アクセストークンがないか、正しくありません',
    token_expired: 'アクセストークンの有効期限が切れています',
    device_replaced: '別の端末で連携されたため、この端末の連携は終了しました',
    link_ended: 'この端末の連携は終了しています',
    forbidden: 'この操作は許可されていません',
    not_found: '見つかりません',
    method_not_allowed: 'このメソッドは使えません',
    invalid_client: 'クライアントが正しくありません',
    invalid_grant: '認可コードまたはリフレッシュトークンが正しくありません',
    unsupported_grant_type: 'この grant_type には対応していません',
    rate_limited: 'リクエストが多すぎます。しばらく待ってからお試しください',
    internal: 'サーバーで問題が発生しました',
  },
} as const;

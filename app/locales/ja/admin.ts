export default {
  nav: {
    label: '職員用メニュー',
    home: '職員トップ',
    residents: '住民の検索・通知書',
    notices: 'お知らせの作成・配信',
    todos: 'やることの作成',
    insurance: '保険資格情報',
    staff: '職員',
    groups: 'グループと権限',
    audit: '監査ログ',
  },
  home: {
    title: '職員用ページ',
    lead: '{{name}} さん、担当する業務を選んでください。表示されるのは、あなたの権限で使える機能だけです。',
    permissions: 'あなたの権限',
    none: '権限がありません。管理者にグループへの追加を依頼してください。',
  },
  accept: {
    title: '職員アカウントの登録',
    lead: '{{name}} さん（{{email}}）の職員アカウントを作成します。この端末にパスキーを登録してください。',
    button: 'パスキーを登録して職員アカウントを作成',
    invalid:
      'この招待リンクは無効か、すでに使われたか、有効期限が切れています。管理者に新しいリンクを依頼してください。',
  },
  permission: {
    'residents:read': '住民情報の閲覧',
    'letters:issue': '通知書の発行',
    'notices:write': 'お知らせの作成',
    'todos:write': 'やることの作成',
    'delivery:read': '配信状況の閲覧',
    'insurance:read': '保険資格情報の閲覧',
    'reservations:manage': '予約の管理',
    'targets:import': '交付対象者の取り込み',
    'clients:manage': 'アプリ連携の管理',
    'audit:read': '監査ログの閲覧',
    'staff:manage': '職員と権限の管理',
  },
} as const;

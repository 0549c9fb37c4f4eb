/**
 * Demo notices (fictional): operator broadcasts and targeted notices from ministries and the
 * city, in Japanese with English versions — and one written in Japanese only, to show how a
 * page in the other language tags it.
 */
export type DemoNotice = {
  sender: string;
  audience: 'all' | 'miura' | 'some';
  daysAgo: number;
  titleJa: string;
  bodyJa: string;
  titleEn: string | null;
  bodyEn: string | null;
};

export const demoNotices: DemoNotice[] = [
  {
    sender: 'operator',
    audience: 'all',
    daysAgo: 2,
    titleJa: '【メンテナンス】12月6日（土）未明にサービスを一時停止します',
    bodyJa:
      'システムの定期メンテナンスのため、次の時間帯はサービスをご利用いただけません。\n\n- **日時**：令和8年12月6日（土）午前1時から午前5時まで\n- **対象**：窓口のすべての機能（アプリを含む）\n\nご不便をおかけしますが、ご理解とご協力をお願いいたします。',
    titleEn: '[Maintenance] The service pauses early on Saturday 6 December',
    bodyEn:
      'For scheduled maintenance the service is unavailable during the following hours.\n\n- **When**: Saturday 6 December 2026, 1:00 to 5:00 a.m. (Japan time)\n- **What**: every function of Madoguchi, the app included\n\nWe apologise for the inconvenience.',
  },
  {
    sender: 'operator',
    audience: 'all',
    daysAgo: 20,
    titleJa: '新機能：窓口の予約がオンラインでできるようになりました',
    bodyJa:
      'マイナンバーカードの受け取りや電子証明書の更新のための窓口予約が、窓口からできるようになりました。\n\n案内状に書かれた予約 ID とパスワードでサインインし、空いている日時を選んでください。\n\n予約が必要な方には[やること](/ja/todos)でお知らせします。',
    titleEn: 'New: book your counter visit online',
    bodyEn:
      'You can now book a visit to pick up your My Number card or renew its e-certificate here.\n\nSign in with the reservation ID and password on your letter and choose a free date and time.\n\nIf you need to book, your [to-dos](/en/todos) will tell you.',
  },
  {
    sender: 'mhlw',
    audience: 'some',
    daysAgo: 5,
    titleJa: '医療費のお知らせ（令和8年1月〜9月分）が届いています',
    bodyJa:
      '令和8年1月から9月までに受診した医療機関と医療費の額をお知らせします。医療費控除の申告に使えます。\n\n内容は[厚生労働省のページ](https://www.mhlw.go.jp/)でも確認できます。',
    titleEn: 'Your medical expenses statement (January–September 2026)',
    bodyEn:
      'This lists the medical institutions you visited and what you paid from January to September 2026. You can use it for the medical expense deduction.\n\nYou can also check it on the [ministry’s site](https://www.mhlw.go.jp/).',
  },
  {
    sender: 'municipality',
    audience: 'miura',
    daysAgo: 9,
    titleJa: '三浦市からのお知らせ：マイナンバーカード休日交付窓口を開設します',
    bodyJa:
      '平日にお越しになれない方のため、休日にマイナンバーカードの交付窓口を開設します。\n\n1. 日時：12月14日（日）午前9時〜午後4時\n2. 場所：三浦市役所 本館1階 市民課\n3. 予約：下記の問い合わせ先にお電話ください\n\n問い合わせ先：市民課 046-882-1111',
    titleEn: 'From Miura City: a weekend counter for My Number cards',
    bodyEn:
      'For people who cannot come on weekdays, the city opens its card counter on a Sunday.\n\n1. When: Sunday 14 December, 9 a.m. to 4 p.m.\n2. Where: Miura City Hall, main building, 1st floor, Citizens Division\n3. Booking: call the Citizens Division (below)\n\nContact: Citizens Division, 046-882-1111',
  },
  {
    sender: 'digital_agency',
    audience: 'some',
    daysAgo: 30,
    titleJa: '電子証明書の有効期限が近づいています',
    bodyJa:
      'あなたのマイナンバーカードの署名用電子証明書は、有効期限まで3か月を切りました。お住まいの市区町村の窓口で更新の手続きをしてください。',
    titleEn: null,
    bodyEn: null,
  },
];

export default {
  title: '配信状況',
  lead: 'お知らせの配信数・開封数・開封率を、公開した月（日本時間）と種類ごとに集計します。お知らせごとの開封の推移は、各お知らせのページで確認できます。',
  noRate: '配信がないため算出できません',
  category: {
    broadcast: '運営主体お知らせ',
    targeted: '府省庁・自治体からのお知らせ',
  },
  period: {
    heading: '集計期間',
    legend: '期間',
    hint: '公開した月（日本時間）で選びます。終了月も含みます。空欄にすると直近 12 か月です。',
    from: '開始月',
    to: '終了月',
    submit: 'この期間で表示',
    reset: '直近 12 か月に戻す',
  },
  errors: {
    month: '月を 2026-01 の形で入力してください。',
    range: '終了月は開始月と同じ月か、それより後の月にしてください。',
    tooLong: '期間は 120 か月以内にしてください。',
  },
  monthly: {
    heading: '月別の集計（{{period}}）',
    caption: '{{category}}（{{period}}）',
    period: '{{from}}～{{to}}',
    month: '対象月',
    notices: 'お知らせの件数',
    deliveries: '配信数',
    opens: '開封数',
    openRate: '開封率',
    total: '期間の合計',
  },
  export: {
    link: 'この期間の集計を CSV で書き出す',
    hint: 'UTF-8 の CSV ファイルです（Excel で開けます）。書き出しは監査ログに記録されます。',
  },
  notes: {
    heading: '集計の方法',
    month:
      '公開日時が日本時間でその月にあるお知らせを数えます。公開予定のもの、公開前に取り下げたものは含みません。',
    deliveries:
      '配信数：府省庁・自治体からのお知らせは配信先の住民の人数です。運営主体お知らせは、集計した時点の住民数（市区町村あてのものは、その市区町村の現在の住民数）で代用しています。運営主体お知らせは配信先の一覧を持たないため、過去の月の値も住民の転入・転出に応じて変わります。',
    opens: '開封数：お知らせを開いた住民の人数です。同じ住民が何度開いても 1 と数えます。',
    openRate: '開封率：開封数 ÷ 配信数（小数第 1 位まで）。配信数が 0 のときは「—」です。',
  },
  notice: {
    title: '配信状況',
    delivered: '配信数',
    opened: '開封数',
    openRate: '開封率',
    noteTargeted:
      '配信数は配信先の住民の人数、開封数はお知らせを開いた住民の人数です（何度開いても 1 人）。',
    noteBroadcast:
      '運営主体お知らせの配信数は、いまの住民数で代用しています（公開した時点の人数ではありません）。開封数はお知らせを開いた住民の人数です（何度開いても 1 人）。',
    overTime: '開封の推移',
    notYet: 'このお知らせはまだ公開されていません。公開後に配信数と開封数を表示します。',
    monthlyLink: '月別の配信状況を見る',
  },
  chart: {
    caption: {
      day: '日別の開封数（公開日から、日本時間）',
      week: '週別の開封数（公開日から 7 日ごと、日本時間）',
    },
    tableCaption: {
      day: '日別の開封数（表）',
      week: '週別の開封数（表）',
    },
    desc: {
      day: '{{first}}から{{last}}までの日別の開封数の棒グラフ。合計 {{total}} 件。最も多いのは{{peak}}の {{peakOpens}} 件。',
      week: '{{first}}から{{last}}までの週別の開封数の棒グラフ。合計 {{total}} 件。最も多いのは{{peak}}の {{peakOpens}} 件。',
    },
    descNone: {
      day: '{{first}}から{{last}}までの日別の開封数の棒グラフ。まだ開封はありません。',
      week: '{{first}}から{{last}}までの週別の開封数の棒グラフ。まだ開封はありません。',
    },
    xAxis: {
      day: '日付',
      week: '週の初日',
    },
    yAxis: '開封数',
    period: {
      day: '日付',
      week: '期間',
    },
    opens: '開封数',
    cumulative: '累計開封数',
  },
  csv: {
    month: '対象月',
    category: '種類',
    notices: 'お知らせの件数',
    deliveries: '配信数',
    opens: '開封数',
    openRate: '開封率（%）',
  },
} as const;

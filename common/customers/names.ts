/** Word lists behind the company-name key (see normalise.ts): regions, generic cores, institution endings. */

// ---------------------------------------------------------------------------------------------
// Region names
// ---------------------------------------------------------------------------------------------

/** Provincial-level divisions: [short name, official full name, other suffixed forms seen in practice]. */
export const PROVINCES: readonly (readonly string[])[] = [
  ['北京', '北京市'],
  ['天津', '天津市'],
  ['上海', '上海市'],
  ['重庆', '重庆市'],
  ['河北', '河北省'],
  ['山西', '山西省'],
  ['辽宁', '辽宁省'],
  ['吉林', '吉林省'],
  ['黑龙江', '黑龙江省'],
  ['江苏', '江苏省'],
  ['浙江', '浙江省'],
  ['安徽', '安徽省'],
  ['福建', '福建省'],
  ['江西', '江西省'],
  ['山东', '山东省'],
  ['河南', '河南省'],
  ['湖北', '湖北省'],
  ['湖南', '湖南省'],
  ['广东', '广东省'],
  ['海南', '海南省'],
  ['四川', '四川省'],
  ['贵州', '贵州省'],
  ['云南', '云南省'],
  ['陕西', '陕西省'],
  ['甘肃', '甘肃省'],
  ['青海', '青海省'],
  ['台湾', '台湾省'],
  ['内蒙古', '内蒙古自治区'],
  ['广西', '广西壮族自治区', '广西自治区'],
  ['西藏', '西藏自治区'],
  ['宁夏', '宁夏回族自治区', '宁夏自治区'],
  ['新疆', '新疆维吾尔自治区', '新疆自治区'],
  ['香港', '香港特别行政区'],
  ['澳门', '澳门特别行政区'],
];

/**
 * Common prefecture-level (and sub-provincial) cities, used with and without 市. The list is
 * deliberately "common", not complete: names that are also ordinary words at the start of a company
 * name (三明治, 长治久安, 四平八稳, 安康, 吉安 …) are left out, because stripping them would break
 * the brand. 中山 is kept: its risky case (中山大学) is caught by the institution guard below.
 */
export const CITIES: readonly string[] = [
  // capitals
  '石家庄',
  '太原',
  '呼和浩特',
  '沈阳',
  '长春',
  '哈尔滨',
  '南京',
  '杭州',
  '合肥',
  '福州',
  '南昌',
  '济南',
  '郑州',
  '武汉',
  '长沙',
  '广州',
  '南宁',
  '海口',
  '成都',
  '贵阳',
  '昆明',
  '拉萨',
  '西安',
  '兰州',
  '西宁',
  '银川',
  '乌鲁木齐',
  // Guangdong
  '深圳',
  '东莞',
  '佛山',
  '珠海',
  '中山',
  '惠州',
  '江门',
  '汕头',
  '湛江',
  '肇庆',
  '清远',
  '揭阳',
  '茂名',
  '韶关',
  '梅州',
  '潮州',
  // Jiangsu, Zhejiang, Fujian, Shandong
  '苏州',
  '无锡',
  '常州',
  '南通',
  '扬州',
  '徐州',
  '镇江',
  '泰州',
  '盐城',
  '连云港',
  '淮安',
  '宁波',
  '温州',
  '嘉兴',
  '湖州',
  '绍兴',
  '金华',
  '台州',
  '舟山',
  '丽水',
  '衢州',
  '厦门',
  '泉州',
  '漳州',
  '莆田',
  '青岛',
  '烟台',
  '潍坊',
  '淄博',
  '济宁',
  '临沂',
  '威海',
  // elsewhere
  '大连',
  '鞍山',
  '唐山',
  '保定',
  '廊坊',
  '洛阳',
  '宜昌',
  '襄阳',
  '株洲',
  '湘潭',
  '桂林',
  '柳州',
  '绵阳',
  '芜湖',
  '包头',
  '三亚',
];

/**
 * Default leading region names stripped from company names: the 34 provincial-level names, bare and
 * with their 省 / 市 / 自治区 / 特别行政区 forms, and the common cities bare and with 市.
 * Pass `opts.regionPrefixes` to replace it (spread this list to extend it).
 */
export const DEFAULT_REGION_PREFIXES: readonly string[] = Object.freeze([...PROVINCES.flat(), ...CITIES.flatMap((c) => [c, `${c}市`])]);

/**
 * A parenthesised qualifier that is only a region, e.g. 任我行科技（深圳）有限公司 or 西门子（中国）有限公司,
 * is the registration place of the same company, not part of its name, so it is removed. 中国 is
 * added to the region list for this parenthesised form only: as a leading word it is part of real
 * names (中国银行, 中国移动) and is never stripped there.
 */
export const PAREN_ONLY_REGIONS = ['中国'];

/**
 * When the text left after removing a leading region is one of these, the region *is* the name
 * (北京银行 / 上海银行, 山东黄金 / 山西黄金, 北京科技有限公司 / 上海科技有限公司), so the region is kept.
 * A heuristic, not a dictionary: it lists the generic cores seen most often in practice.
 */
export const GENERIC_CORES: ReadonlySet<string> = new Set([
  '科技',
  '技术',
  '信息',
  '软件',
  '网络',
  '电子',
  '通信',
  '实业',
  '贸易',
  '商贸',
  '投资',
  '控股',
  '发展',
  '建设',
  '建工',
  '城建',
  '城投',
  '物流',
  '医药',
  '百货',
  '航空',
  '机场',
  '港务',
  '地铁',
  '公交',
  '交通',
  '电力',
  '燃气',
  '水务',
  '自来水',
  '烟草',
  '邮政',
  '电信',
  '移动',
  '联通',
  '证券',
  '保险',
  '信托',
  '黄金',
  '钢铁',
  '汽车',
  '啤酒',
  '农商行',
  '轨道交通',
  '国际',
  '集团',
]);

/**
 * When the text left after removing a leading region ends with one of these, the name is an
 * institution named after its place (北京大学 / 南京大学, 北京师范大学 / 南京师范大学, 深圳市人民医院),
 * so the region is kept.
 */
export const INSTITUTION_ENDINGS: readonly string[] = [
  '大学',
  '学院',
  '学校',
  '中学',
  '小学',
  '幼儿园',
  '医院',
  '卫生院',
  '银行',
  '政府',
  '委员会',
  '局',
  '厅',
  '办公室',
  '电视台',
  '电台',
  '日报',
  '晚报',
  '报社',
  '出版社',
  '图书馆',
  '博物馆',
  '研究院',
  '研究所',
  '法院',
  '检察院',
  '海关',
];

/**
 * The buying-committee taxonomy (see shared/domain.md): ids are stable and used in storage,
 * sync and exports; labels are what the UI shows in each supported language.
 */
export const LANGUAGES = ['en', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Label {
  en: string;
  zh: string;
}

function defineTerms<const T extends readonly { id: string; en: string; zh: string }[]>(terms: T) {
  type Id = T[number]['id'];
  const ids = terms.map((t) => t.id) as unknown as readonly [Id, ...Id[]];
  const labels = Object.fromEntries(terms.map((t) => [t.id, { en: t.en, zh: t.zh }])) as Record<Id, Label>;
  return { ids, labels, terms };
}

/** Committee roles: the three core roles of the source come first, then the refinements. */
export const ROLE = defineTerms([
  { id: 'decision_maker', en: 'Decision maker', zh: '决策人' },
  { id: 'influencer', en: 'Decision influencer', zh: '影响决策的人' },
  { id: 'user', en: 'Product user', zh: '产品使用者' },
  { id: 'champion', en: 'Champion', zh: '内部支持者' },
  { id: 'economic_buyer', en: 'Economic buyer', zh: '预算负责人' },
  { id: 'blocker', en: 'Blocker', zh: '阻碍者' },
  { id: 'executive_sponsor', en: 'Executive sponsor', zh: '高层发起人' },
  { id: 'technical_evaluator', en: 'Technical evaluator', zh: '技术评估人' },
  { id: 'procurement', en: 'Procurement', zh: '采购/法务把关人' },
  { id: 'other', en: 'Other', zh: '其他' },
] as const);
export type Role = (typeof ROLE.ids)[number];
export const CORE_ROLES: readonly Role[] = ['decision_maker', 'influencer', 'user'];

export const AUTHORITY = defineTerms([
  { id: 'unknown', en: 'Unknown', zh: '未知' },
  { id: 'claimed', en: 'Claimed', zh: '自称' },
  { id: 'verified', en: 'Verified', zh: '已核实' },
] as const);
export type Authority = (typeof AUTHORITY.ids)[number];

export const STANCE = defineTerms([
  { id: 'champion', en: 'Champion', zh: '拥护' },
  { id: 'supportive', en: 'Supportive', zh: '支持' },
  { id: 'neutral', en: 'Neutral', zh: '中立' },
  { id: 'skeptical', en: 'Skeptical', zh: '怀疑' },
  { id: 'opposed', en: 'Opposed', zh: '反对' },
] as const);
export type Stance = (typeof STANCE.ids)[number];

export const INFLUENCE = defineTerms([
  { id: 'low', en: 'Low', zh: '低' },
  { id: 'medium', en: 'Medium', zh: '中' },
  { id: 'high', en: 'High', zh: '高' },
] as const);
export type Influence = (typeof INFLUENCE.ids)[number];

/** Lifecycle stages of shared/domain.md §2, in order. */
export const STAGE = defineTerms([
  { id: 'awareness', en: 'Interest & attention', zh: '刺激兴趣,引起关注' },
  { id: 'evaluation', en: 'Multi-party consideration & comparison', zh: '多位参与者考虑与对比' },
  { id: 'discovery', en: 'Research & discovery loop', zh: '研究与发现飞轮' },
  { id: 'transaction', en: 'Transaction', zh: '成功交易' },
  { id: 'experience', en: 'Buyer & user service experience', zh: '采购者及使用者服务体验' },
  { id: 'loyalty', en: 'Loyalty loop (renewal, expansion, referral)', zh: '忠诚度飞轮' },
] as const);
export type Stage = (typeof STAGE.ids)[number];
export function stageIndex(stage: Stage | null | undefined): number {
  return stage ? STAGE.ids.indexOf(stage) : -1;
}

export const SEGMENT = defineTerms([
  { id: 'key_account', en: 'Key account', zh: '大客户' },
  { id: 'mid_market', en: 'Mid-market', zh: '中型企业' },
  { id: 'small_business', en: 'Small business', zh: '小微企业' },
] as const);
export type Segment = (typeof SEGMENT.ids)[number];

/** Suggestions for the free-text department field. */
export const DEPARTMENT_SUGGESTIONS = defineTerms([
  { id: 'sales', en: 'Sales', zh: '销售' },
  { id: 'production', en: 'Production', zh: '生产' },
  { id: 'procurement', en: 'Procurement', zh: '采购' },
  { id: 'warehouse', en: 'Warehouse', zh: '仓管' },
  { id: 'customer_service', en: 'Customer service', zh: '客服' },
  { id: 'finance', en: 'Finance', zh: '财务' },
  { id: 'it', en: 'IT', zh: 'IT' },
  { id: 'management', en: 'Management', zh: '管理层' },
] as const);

/** Department names are free text: compare them case- and space-insensitively. */
export function normalizeDepartment(value: string | null | undefined): string {
  return (value ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * Organizations of the demo platform and the demo accounts that sign in to it. Every kind of
 * organization and every role is represented, so each screen can be tried from each point of view.
 */
import type { OrganizationKind, Role } from "../../server/db/generated/enums.ts";
import type { AreaKey } from "./places.ts";

export type OrgKey =
  | "city"
  | "shakyo"
  | "npo_food"
  | "npo_mobility"
  | "supermarket"
  | "shinkin"
  | "university"
  | "kitayama"
  | "higashidai"
  | "sakuragawa"
  | "houkatsu";

export type OrgSpec = {
  key: OrgKey;
  id: string;
  kind: OrganizationKind;
  name: string;
  nameEn: string;
  description: string;
  /** The district the organization's office is in. */
  area: AreaKey;
};

export const DEMO_ORGANIZATIONS: readonly OrgSpec[] = [
  {
    key: "city", id: "seed-org-city", kind: "MUNICIPALITY", area: "chuo",
    name: "みどり区役所 地域振興課", nameEn: "Midori Ward Office, Community Development Division",
    description: "区のまちづくり・地域協働の担当課。プラットフォームの事務局を社協と共同で務める。",
  },
  {
    key: "shakyo", id: "seed-org-shakyo", kind: "SHAKYO", area: "chuo",
    name: "みどり区社会福祉協議会", nameEn: "Midori Ward Social Welfare Council",
    description: "地域福祉コーディネーターとボランティアセンターを置き、住民活動のマッチングを担う。",
  },
  {
    key: "npo_food", id: "seed-org-npo-food", kind: "NPO", area: "higashidai",
    name: "NPO法人 みんなの食卓みどり", nameEn: "NPO Minna no Shokutaku Midori (children's cafeterias)",
    description: "区内4か所でこども食堂とフードパントリーを運営。",
  },
  {
    key: "npo_mobility", id: "seed-org-npo-mobility", kind: "NPO", area: "sakuragawa",
    name: "NPO法人 おでかけサポート桜川", nameEn: "NPO Odekake Support Sakuragawa (mobility support)",
    description: "高齢者の買い物・通院の送迎と付き添いを、地域のドライバーボランティアで行う。",
  },
  {
    key: "supermarket", id: "seed-org-supermarket", kind: "COMPANY", area: "higashidai",
    name: "株式会社みどりや(スーパーみどりや)", nameEn: "Midoriya Supermarket (CSR)",
    description: "地元スーパー。CSRとして食品寄付、店頭での健康測定会、買い物送迎バスを提供。",
  },
  {
    key: "shinkin", id: "seed-org-shinkin", kind: "COMPANY", area: "chuo",
    name: "みどり信用金庫", nameEn: "Midori Shinkin Bank",
    description: "地域の信用金庫。会議室の貸し出しと職員の地域貢献活動(清掃・防災訓練)に参加。",
  },
  {
    key: "university", id: "seed-org-university", kind: "UNIVERSITY", area: "higashidai",
    name: "みどり学園大学 ボランティアセンター", nameEn: "Midori Gakuen University Volunteer Center",
    description: "学生ボランティアの登録・派遣、教室の地域開放、活動証明書の発行を行う。",
  },
  {
    key: "kitayama", id: "seed-org-kitayama", kind: "NEIGHBORHOOD", area: "kitayama",
    name: "北山町内会", nameEn: "Kitayama Neighborhood Association",
    description: "約1,200世帯。見守り、防災訓練、夏祭り、いきいきサロンを運営。",
  },
  {
    key: "higashidai", id: "seed-org-higashidai", kind: "NEIGHBORHOOD", area: "higashidai",
    name: "東台自治会", nameEn: "Higashidai Residents' Association",
    description: "団地と戸建てからなる自治会。子ども会、防犯パトロール、花壇づくり。",
  },
  {
    key: "sakuragawa", id: "seed-org-sakuragawa", kind: "NEIGHBORHOOD", area: "sakuragawa",
    name: "桜川連合自治会", nameEn: "Sakuragawa Federation of Residents' Associations",
    description: "桜川地区の7自治会の連合。河川敷清掃と地域防災拠点の運営。",
  },
  {
    key: "houkatsu", id: "seed-org-houkatsu", kind: "OTHER", area: "chuo",
    name: "みどり区中央地域包括支援センター", nameEn: "Midori Chuo Community Comprehensive Support Center",
    description: "高齢者の総合相談、介護予防、認知症カフェの運営支援。",
  },
];

export function orgByKey(key: OrgKey): OrgSpec {
  const found = DEMO_ORGANIZATIONS.find((o) => o.key === key);
  if (!found) throw new Error(`unknown organization ${key}`);
  return found;
}

/** The password of every demo account. */
export const DEMO_PASSWORD = "tsunagu-demo";

export type DemoAccount = {
  email: string;
  /** Always DEMO_PASSWORD; repeated here so a README table or a test can read one object. */
  password: string;
  userId: string;
  displayName: string;
  /** Membership role, or null for the resident account (no membership). */
  role: Role | null;
  organizationKey: OrgKey | null;
  organizationId: string | null;
  /** Organization name in Japanese (null for the resident account). */
  organization: string | null;
  /** The Resident row this user is, for the resident account. */
  residentId: string | null;
  descriptionJa: string;
  descriptionEn: string;
};

type AccountSpec = Omit<DemoAccount, "password" | "userId" | "organizationId" | "organization" | "residentId"> & {
  id: string;
};

const ACCOUNT_SPECS: AccountSpec[] = [
  {
    id: "admin", email: "admin@tsunagu.example", displayName: "高橋 誠", role: "ADMIN", organizationKey: "city",
    descriptionJa: "プラットフォーム管理者(区役所 地域振興課)", descriptionEn: "Platform administrator (ward office)",
  },
  {
    id: "city", email: "city@tsunagu.example", displayName: "松本 彩", role: "COORDINATOR", organizationKey: "city",
    descriptionJa: "区の地域担当職員(コーディネーター)", descriptionEn: "Ward community liaison officer (coordinator)",
  },
  {
    id: "coordinator", email: "coordinator@tsunagu.example", displayName: "中村 由美", role: "COORDINATOR",
    organizationKey: "shakyo",
    descriptionJa: "社協の地域福祉コーディネーター(デモの主役)", descriptionEn: "Social welfare council coordinator (main demo user)",
  },
  {
    id: "shakyo-admin", email: "shakyo-admin@tsunagu.example", displayName: "小林 浩一", role: "ADMIN",
    organizationKey: "shakyo",
    descriptionJa: "社協の事務局長(団体管理者)", descriptionEn: "Social welfare council secretary-general (org admin)",
  },
  {
    id: "member", email: "member@tsunagu.example", displayName: "井上 翔太", role: "MEMBER", organizationKey: "shakyo",
    descriptionJa: "社協ボランティアセンターの職員(一般メンバー)", descriptionEn: "Volunteer center staff (member)",
  },
  {
    id: "npo", email: "npo@tsunagu.example", displayName: "森 さくら", role: "COORDINATOR", organizationKey: "npo_food",
    descriptionJa: "こども食堂NPOのコーディネーター", descriptionEn: "Children's cafeteria NPO coordinator",
  },
  {
    id: "mobility", email: "mobility@tsunagu.example", displayName: "石井 健二", role: "ADMIN",
    organizationKey: "npo_mobility",
    descriptionJa: "移動支援NPOの代表(団体管理者)", descriptionEn: "Mobility support NPO head (org admin)",
  },
  {
    id: "company", email: "company@tsunagu.example", displayName: "加藤 美穂", role: "COORDINATOR",
    organizationKey: "supermarket",
    descriptionJa: "スーパーのCSR担当", descriptionEn: "Supermarket CSR officer",
  },
  {
    id: "shinkin", email: "shinkin@tsunagu.example", displayName: "吉田 拓也", role: "MEMBER", organizationKey: "shinkin",
    descriptionJa: "信用金庫の地域貢献担当(一般メンバー)", descriptionEn: "Credit union community officer (member)",
  },
  {
    id: "university", email: "university@tsunagu.example", displayName: "山口 真理子", role: "COORDINATOR",
    organizationKey: "university",
    descriptionJa: "大学ボランティアセンターのコーディネーター", descriptionEn: "University volunteer center coordinator",
  },
  {
    id: "student", email: "student@tsunagu.example", displayName: "清水 陽菜", role: "MEMBER",
    organizationKey: "university",
    descriptionJa: "大学ボランティアセンターの学生スタッフ", descriptionEn: "Student staff at the volunteer center",
  },
  {
    id: "jichikai", email: "jichikai@tsunagu.example", displayName: "斎藤 正雄", role: "ADMIN", organizationKey: "kitayama",
    descriptionJa: "北山町内会の会長", descriptionEn: "Kitayama neighborhood association chair",
  },
  {
    id: "higashidai", email: "higashidai@tsunagu.example", displayName: "岡田 恵子", role: "COORDINATOR",
    organizationKey: "higashidai",
    descriptionJa: "東台自治会の福祉部長", descriptionEn: "Higashidai residents' association welfare lead",
  },
  {
    id: "sakuragawa", email: "sakuragawa@tsunagu.example", displayName: "藤田 博", role: "MEMBER",
    organizationKey: "sakuragawa",
    descriptionJa: "桜川連合自治会の防災担当(一般メンバー)", descriptionEn: "Sakuragawa federation disaster lead (member)",
  },
  {
    id: "viewer", email: "viewer@tsunagu.example", displayName: "林 直美", role: "VIEWER", organizationKey: "houkatsu",
    descriptionJa: "地域包括支援センターの職員(閲覧のみ)", descriptionEn: "Community care center staff (read-only)",
  },
  {
    id: "resident", email: "resident@tsunagu.example", displayName: "佐藤 和子", role: null, organizationKey: null,
    descriptionJa: "登録住民(担い手)本人のアカウント", descriptionEn: "A registered resident's own account",
  },
];

/** The resident row the resident demo account is linked to. */
export const DEMO_RESIDENT_ID = "seed-res-001";

export const DEMO_ACCOUNTS: readonly DemoAccount[] = ACCOUNT_SPECS.map((spec) => {
  const org = spec.organizationKey ? orgByKey(spec.organizationKey) : null;
  return {
    email: spec.email,
    password: DEMO_PASSWORD,
    userId: `seed-user-${spec.id}`,
    displayName: spec.displayName,
    role: spec.role,
    organizationKey: spec.organizationKey,
    organizationId: org?.id ?? null,
    organization: org?.name ?? null,
    residentId: spec.role === null ? DEMO_RESIDENT_ID : null,
    descriptionJa: spec.descriptionJa,
    descriptionEn: spec.descriptionEn,
  };
});

export const DEMO_COORDINATOR_EMAIL = "coordinator@tsunagu.example";

/**
 * The text of the 智慧信息（企信版）产品服务合同, clause by clause as in the
 * reference contract (seeds/000_21534e0233f4f431.txt), with every value the
 * seed states taken from the contract's terms.
 *
 * Deliberate differences from the paper original: the seed numbers two items
 * of 第三条 twice ("4、…5、…4、…5、"); here they run 1 to 7. People, phones and
 * the bank account come from the terms (demo data is fictitious).
 */
import { INVOICE_TYPE_LABELS, PARTY_LABELS, type ContractTerms, type PartyCode } from '../domain/terms';
import { formatAmount, articleNumber, chineseNumeral, clockInProse, formatShanghai } from './format';
import {
  choiceLine,
  documentTitle,
  ensureSpace,
  heading,
  labeledLine,
  paragraph,
  signatureBlocks,
  spacer,
  type Doc,
  type SignatureBlock,
} from './layout';
import { formatCny, toChineseCapitals } from '../domain/money';

export interface ContractArticle {
  /** '第三条' */
  number: string;
  /** '服务及支付方式' */
  title: string;
  /** each item a paragraph; sub-items are indented */
  items: Array<string | { text: string; indent: number }>;
}

/** A signature as recorded by the lifecycle (domain SignatureRecord fits). */
export interface SignatureEntry {
  party: PartyCode;
  signer: string;
  /** the signer's position, e.g. 授权代表 */
  title: string;
  sealed: boolean;
  /** ISO 8601 instant */
  signedAt: string;
  /** who entered the record (user id), when it was entered for someone else */
  recordedBy?: string;
}

export const PREAMBLE =
  '甲乙双方根据《中华人民共和国民法典》等法律法规，经充分协商，就乙方向甲方提供智慧信息（企信版）服务事宜达成如下协议。';

const sub = (text: string, indent = 1): { text: string; indent: number } => ({ text, indent });

/** The articles 第一条 … 第十一条 for these terms. */
export function contractArticles(terms: ContractTerms): ContractArticle[] {
  const { payment, term, sms, legal, originals, partyB } = terms;
  const years = chineseNumeral(term.years);
  const invoiceChoice = choiceLine([
    { label: '增值税专票', chosen: payment.invoiceType === 'vat_special' },
    { label: '增值税普票', chosen: payment.invoiceType === 'vat_ordinary' },
  ]);
  const yearlyFee = `${formatCny(terms.package.yearlyFeeFen)}/年（大写：${toChineseCapitals(terms.package.yearlyFeeFen)}/年）`;
  const windowStart = clockInProse(sms.windowStart);
  const windowEnd = clockInProse(sms.windowEnd);
  const renewal = term.autoRenew
    ? `合同到期如无异议，自动顺延${chineseNumeral(term.renewalYears)}年。`
    : '合同到期自动终止，双方如需续签应另行协商。';
  const permit = sms.permit24h ? '（甲方已提交24小时开通申请并经乙方批准，可24小时发送。）' : '';

  const articles: Array<Omit<ContractArticle, 'number'>> = [
    {
      title: '定义',
      items: [
        '除非本合同条款中有单独定义，或甲乙双方有其他书面解释，本合同对所有相关用语的定义如本条所述。本合同中没有明确规定的其他相关词语，按照中国法律、法规、规章、政府部门的规定、或有权部门的政策性规定解释，没有以上文件明确解释的，参考移动通信行业管理解释。',
        '1、智慧信息：是指甲方通过乙方一次性提供短信服务，向甲方的内部员工、与甲方已经存在合法业务关系的最终客户、会员等甲方已获得明确授权的人员发送的信息。资费套餐详见业务受理单。',
        '2、终端用户/接收对象：指接收短信的甲方的内部员工、与甲方已经存在合法业务关系的最终客户、会员等甲方已获得开展本合同约定事项明确授权的人员，其他无关的手机用户不在此列。',
      ],
    },
    {
      title: '合作方式',
      items: ['1、本合同中的智慧信息业务服务范围：仅限于向本协议第一条约定的“终端用户”提供短信形式的信息发布服务。'],
    },
    {
      title: '服务及支付方式',
      items: [
        `1、服务方式：乙方向甲方提供三网智慧信息短信服务，合同使用增值税税率为：${payment.vatRatePercent}%；`,
        `2、三网智慧信息短信服务采用一次性交付的方式，甲方选择的智慧信息短信服务套餐（${terms.package.name}）费用合计${yearlyFee}。套餐服务包含 ${terms.package.smsPerYear} 条行业短信服务（每合同年）；`,
        '3、乙方一次性提供智慧信息短信服务后，甲方应配合乙方提供交付确认单（即业务受理单）。',
        `4、支付方式：本合同签订 ${payment.dueDays} 日内，甲方向乙方一次性支付${years}年短信服务费含税价${formatAmount(payment.totalFen)}。`,
        '5、在合同有效期内，若甲方存在新的短信服务需求，可根据业务受理单再次进行购买，购买前需提前一次性支付所选智慧信息短信服务套餐对应价格的款项。',
        '6、乙方收款银行账号信息：',
        sub(`开户名：${partyB.bank.accountName}`),
        sub(`开户行：${partyB.bank.bankName}`),
        sub(`开户行帐号：${partyB.bank.accountNumber}`),
        '7、乙方根据甲方实际购买短信服务金额提供等额增值税票据，甲方选择乙方开票类型为：',
        sub(`${invoiceChoice}（已选：${INVOICE_TYPE_LABELS[payment.invoiceType]}）`),
      ],
    },
    {
      title: '甲方权利义务',
      items: [
        '1、甲方须明确智慧信息业务的接收对象、发送范围、发送日期和短信话术等相关内容。甲方应保证发送内容合法合规，短信内容不侵犯任何第三方的知识产权或任何合法权益。对于短信签名，甲方应提供授权主体的资质或合作合同、委托合同证明。',
        '2、甲方承诺使用乙方智慧信息短信服务的接收对象为辖区用户或服务用户，甲方已通过法定行政管理职权或签署相关授权文件等形式取得了开展本业务的充分用户授权。',
        '3、甲方应向乙方提供合法资质包括：加盖公章的甲方公司营业执照复印件、组织机构代码证，联系人身份证扫描件。',
        '4、在本次合作的任何环节，在未经乙方事先书面同意的情况下，甲方不得以乙方名义进行任何宣传行为，否则因此带来的影响以及对乙方造成的损失由甲方全部承担，乙方可立即终止合作并追究甲方责任。',
        '5、为实现合作目的，乙方在合同履行过程中会向甲方提供特定的登录账户和密码，甲方有义务采取技术手段及其他措施保证该账户内的信息安全。在乙方将前述账户和密码交付给甲方使用后，乙方默认该账户仅由甲方使用，因甲方的故意或者过失行为造成的该账户、密码泄漏等敏感信息而导致乙方或用户损失的，由甲方承担全部赔偿责任。',
        '6、甲方负责承担该业务中因发送内容引起的用户投诉，若终端用户明确告知不愿继续接收甲方信息或已发起投诉的，甲方有义务立即采取有效措施，确保不再给此终端用户继续发送相关信息。因终端用户投诉而引起的一切后果由甲方承担。若乙方因此发生任何争议、纠纷或投诉时，甲方应负责处理并解决。若乙方要求甲方提供相应的用户授权文件、查询资质等相关文件和证明材料的，甲方应予以积极配合。',
        '7、甲方承诺，在合同有效期内，规避中国联通及乙方的名单客户，未经授权不得参与中国联通及乙方名单客户的投标。名单客户以本合同约定或中国联通、下属分公司及乙方公布的名单为准。',
        '8、甲方承诺，甲方基于本合同相关条款所发生的业务内容均处于甲方合法经营范围之内，且不存在违反国家法律法规及监管政策的情形。',
        '9、乙方接到中国有关国家机关通知或有关举报或一经乙方发现甲方存储并传播上述违法或不良信息，乙方有权要求甲方立即删除、限期整改、暂停服务直至单方终止合同，并对此不承担任何责任。',
        '10、需确保向终端用户提供健康的信息服务，需向联通公司郑重承诺如下：',
        sub('(1) 本单位对发送信息的真实性、准确性、合法性负责，不得发布任何含有下列内容之一的信息：'),
        sub(
          '①反对宪法所确定的基本原则的；危害国家安全，泄漏国家机密，颠覆国家政权，破坏国家统一的；损害国家荣誉和利益的；煽动民族仇恨、民族歧视，破坏民族团结的；破坏国家宗教政策，宣扬邪教和封建迷信的；散布谣言，扰乱社会秩序，破坏社会稳定的；散布淫秽、色情、赌博、暴力、凶杀、恐怖或者教唆犯罪的；侮辱或者诽谤他人，侵害他人合法权益的；',
          2,
        ),
        sub(
          '②“九不准”：即原信息产业部《关于依法打击网络淫秽色情专项行动工作方案的通知》（信部电【2007】231号）定义的九不准信息标准；“五大类”：即公安部（公通字【2005】77号）文件规定严格禁止的五大类信息。',
          2,
        ),
        sub('③“诈骗信息”：即最高人民法院、最高人民检察院《关于办理诈骗刑事案件具体应用法律若干问题的解释》文件中对诈骗信息的规定。', 2),
        sub('④含有法律、行政法规禁止的其他内容的。', 2),
        sub('(2) 我单位承诺不向他人发送恶意的、挑衅性的文件和未经接收方允许的商业广告，包括垃圾短彩信等。'),
        sub('(3) 我单位会积极配合国家主管部门和电信运营商进行网络安全事件的跟踪，并提供相关的、合法的资料。'),
        sub('(4) 我单位承诺在业务正式开通之前，保证已经拥有有效的信息安全保密管理制度和网络安全管理技术保障措施；业务正式开通后，接受相关业务主管部门的管理、监督和检查。'),
        sub(
          `(5) 若违反上述规定，无论为我单位过失或故意，我单位保证在知道或应当知道后${legal.violationReportHours}小时内通知乙方，并由我单位承担所有法律责任及由此带来的全部经济损失。`,
        ),
        '11、甲方承诺接受乙方和中国联通制订的与本合同项下合作业务相关的业务制度、服务规章、资费标准、宣传方案和优惠政策等规范性要求。根据政府部门、安全部门、联通集团公司、其他管理部门的要求、业务管理以及运维的需要，甲方有义务配合乙方进行关于此合同事项的必要的安全监控和审计。',
      ],
    },
    {
      title: '乙方的权利和义务',
      items: [
        `1、乙方为甲方提供智慧信息短信服务，绑定甲方短信签名：${sms.signature}。`,
        `2、乙方平台对于甲方提交的信息在早上${windowStart}—晚上${windowEnd}时段发送。甲方超出此时段发布的信息，乙方会在次日${windowStart}后发送，如因甲方业务需求需开通24小时发送，则需提交24小时开通申请。${permit}`,
        '3、乙方负责甲方智慧信息短信服务的建设与运营支撑，并为之正常运行提供必要的日常维护、故障维修等工作。乙方为甲方提供必要的售后服务，如发送信息对帐等。',
        '4、乙方免费提供甲方智慧信息短信服务的技术支持和售后服务。',
        '5、乙方不得随意更改甲方发送的信息内容，但对于甲方发送的违反相关法律法规以及损害乙方或乙方客户利益的信息，乙方有权进行拦截并向甲方追究违约责任。',
        '6、乙方仅在国家相关法律法规及政策所许可的范围内与甲方进行合作，并承诺将严格遵守监管政策。',
        '7、乙方向甲方提供的大数据服务，将采取一切可能、必要的手段对所涉基础信息和数据进行清理、脱敏等处理，不涉及任何用户个人信息的使用和提供；此外，乙方负责维护智慧信息系统平台的稳定运行，并安排专人提供合作业务的技术支持、客户服务。',
        `8、本合同期间，乙方因对系统进行调整、升级、扩容等措施而导致服务中断，以及因网络、设备等因素，造成服务的延时、修改及暂停等情况的，乙方承诺在获知前述情况的${legal.outageNoticeHours}小时内通知甲方。`,
        '9、乙方的免责：(1)乙方对非乙方过错造成的数据误差不承担责任；(2)乙方向甲方提供的数据与信息（若有）仅作为甲方判断结果的参考依据项，不保证其内容的准确性、全面性和辅助决策的价值性，乙方对甲方运用上述数据与信息所做判断及后果不承担责任，甲方的后续行为所产生的任何损失，属于正常的商业风险，乙方对此一概不承担任何责任。',
        '10、如甲方违反相关法律规定，乙方有权终止合作，并要求甲方承担由此造成的一切损失。',
      ],
    },
    {
      title: '合同期限、变更、续签',
      items: [
        `1、本合同有效期${term.years}年，自双方签字盖章日起生效。${renewal}`,
        '2、在本合同有效期限内，甲乙双方若需变更本合同的服务内容、费用、期限等或有其他未尽事宜需要作出补充、说明、解释，应通过友好协商方式，经双方确认无异议后以补充合同书或附件的形式签订，补充合同书及附件与本合同具有同等法律效力。',
      ],
    },
    {
      title: '保密',
      items: [
        '1、本合同中，保密资料是指任何一方所有的与被披露方现有的潜在的业务、运营或财务状况直接或间接有关的书面、演示、电子或其他形式的资料（包括：价格、市场营销计划、客户名单、相关数据等）；但不包括以下资料：(1)为公众所知的；(2)披露方通过没有保密义务的独立渠道合法获得的资料；(3)披露方在本合同保密条款签订之前已经知道的资料。',
        '2、双方同意在本合同期限内：(1)为本合同目的而使用属于对方的保密资料，(2)如果被披露方要求，披露方应立即将任何被要求退还的保密资料退还给被披露方。',
        '3、乙方严格按照《中华人民共和国网络安全法》等法律法规的相关要求，对其在提供服务过程中收集、使用的甲方信息履行保护义务。在甲方使用乙方提供的服务时，乙方依据法律法规、监管政策和本协议约定收集、存储、使用、披露和保护甲方信息。',
        '4、甲方理解并同意，乙方可以通过业务受理系统登记、纸质返档，通过网络接收、读取并记录等方式，以提供服务为目的，在业务活动中收集、使用甲方提供的和甲方使用服务过程中形成的甲方保密信息。甲方同意乙方可以为向甲方提供服务、改进和完善服务、提供个性化或定制化产品与服务、评估服务中的促销与推广活动效果、软件认证或升级等目的使用保密信息，乙方有权依法对包含甲方在内的整体用户数据进行分析并加以利用，以便于为甲方提供更好服务。',
        '5、甲方亦同意乙方为履行、改善和改进乙方在本协议项下的服务之目的将收集的必要的甲方信息共享给乙方的授权合作伙伴。除前述明确约定情形外，未经甲方同意，乙方不向其他第三方提供甲方信息。',
      ],
    },
    {
      title: '信息告知确认',
      items: [
        '1、可发信息范围概括',
        sub('(1) 通知类发送概括'),
        sub(
          'APP、网站注册账号，向手机下发验证码；登录账户、异地登录时的安全提醒；找回密码时的安全验证；支付认证、身份校验、手机绑定、升级或维护、服务开通、价格调整、订单确认、物流动态、消费确认、支付通知、生日祝福、节日问候、安全预警、内部通知、考勤通知、会议通知等通知短信等。',
          2,
        ),
        sub('(2) 会员维系类发送概括'),
        sub('向注册用户发送通知和推广信息，包括促销活动通知、业务推广、新产品宣讲、会员关怀等商品与活动的推广信息。增加企业产品曝光率，提高产品和企业的知名度。', 2),
        '2、禁止发送违法违规内容',
        sub(
          '禁止发送股票、移民、房地产、教育、培训、面试招聘、彩票、返利、贷款、催款、投资理财、赌博、中奖、一元夺宝、一元秒杀、A货、医疗、整形、美容、会所、酒吧、足浴、暴力、恐吓、色情、皮草、助考、商标注册、加群、加QQ或者加微信、贩卖个人信息、宣传短信通道、装修（含建材、家私）、游戏推广、会展推广、网站推广、优惠券类推广、卡类推广、保险推广、酒类、用户拉新以及用户召回、及法院类判决告知书、通知函或带一定威胁性质的审判告知书等违法违规类型的短信。',
        ),
        sub('不允许发送未经许可的邀请，主要指邀请注册、邀请成为会员等。'),
        '3、格式要求',
        sub('推广短信内容末尾必须携带退订方式，支持回复“TD”、“T”或“N”进行短信退订。'),
        sub('鉴于特殊符号可能会导致短信出现乱码，不支持如¥、★以及通过按键录入的组合型特殊符号，例如^_^&，☞，√，※等。'),
        '4、使用要求',
        sub('禁止给非会员用户发送推广短信。'),
        sub('需严格遵守短信内容规范要求，不发违法违规短信。'),
        sub(
          `会员短信发送时间为每日 ${clockInProse(sms.marketingWindowStart)} - ${clockInProse(sms.marketingWindowEnd)}，尽量避免夜间发送，减少用户投诉。`,
        ),
        '5、短信封停规则',
        sub('短信技术支持会对用户申请的短信签名和短信模板进行审核，同时用户发送短信时智慧信息短信服务系统也会对短信内容做监控和检测，防范在短信内容中出现违反国家法律法规要求的相关内容。'),
        sub('发现违反规则的短信内容，会对相关用户进行账号冻结，并视情况追究其责任。账号冻结后，该用户无法继续使用短信服务，该账号未使用完的短信服务套餐包也无法继续使用。账号冻结后，后续不可申请开通使用。'),
      ],
    },
    {
      title: '不可抗力',
      items: [
        '1、因不可抗力导致任何一方不能履行或不能完全履行本合同有关义务时，遭受不可抗力的一方不承担违约责任。',
        `2、遇有不可抗力的一方应于不可抗力事件发生后的 ${legal.forceMajeureProofDays} 日内，向另一方提供足够的书面证明材料。`,
      ],
    },
    {
      title: '违约责任、争议解决方式',
      items: [
        `1、任何一方未履行本合同中的任何一款均视为违约。任何一方在收到对方具体说明违约情况的书面通知后，如确认违约行为实际存在，则应在${chineseNumeral(legal.cureDays)}日内对违约行为予以纠正并书面通知对方；如认为违约行为不存在，则应在${chineseNumeral(legal.cureDays)}日内向对方提供书面异议或说明，在此情况下，甲乙双方可就此进行协商，协商不成的，按本合同争议的解决条款处理，违约方应承担因其违约行为给守约方造成的直接经济损失。`,
        `2、本合同在履行过程中发生的与本合同有关的争议，双方首先应友好协商解决，协商不成的，依法向${legal.disputeVenue}起诉。`,
      ],
    },
    {
      title: '附则',
      items: [
        '1、本合同自双方加盖公章或合同专用章之日起生效。',
        '2、本协议生效后，凡需对本协议条款进行修改或补充时，应经双方协商后，以补充协议方式予以明确，补充协议经双方授权代表签字并加盖公章或合同专用章后生效。',
        `3、本合同一式${originals.total}份，甲方执${originals.perParty}份，乙方执${originals.perParty}份，具有同等法律效力。`,
      ],
    },
  ];
  return articles.map((article, i) => ({ number: articleNumber(i + 1), ...article }));
}

/** Lines for a signature block: blanks to sign on, or the recorded signature. */
export function signatureBlockFor(terms: ContractTerms, party: PartyCode, signature?: SignatureEntry): SignatureBlock {
  const name = party === 'A' ? terms.partyA.name : terms.partyB.name;
  const heading = `${PARTY_LABELS[party]}（盖章）`;
  if (!signature) {
    return { heading, name, blanks: ['法定代表人或授权代表（签字）', '盖章', '签约日期'] };
  }
  return {
    heading,
    name,
    filled: [
      ['法定代表人或授权代表', `${signature.signer}（${signature.title}）`],
      ['盖章', signature.sealed ? '已加盖公章或合同专用章' : '未盖章'],
      ['签约日期', formatShanghai(signature.signedAt)],
    ],
  };
}

function partyBlock(doc: Doc, terms: ContractTerms, party: PartyCode): void {
  const p = party === 'A' ? terms.partyA : terms.partyB;
  labeledLine(doc, PARTY_LABELS[party], p.name);
  labeledLine(doc, '地址', p.address, { indent: 12 });
  labeledLine(doc, party === 'A' ? '法定代表人或授权代表' : '负责人', p.representative, { indent: 12 });
  labeledLine(doc, '联系人', p.contact.name, { indent: 12 });
  labeledLine(doc, '电话', p.contact.phone, { indent: 12 });
  if (p.contact.email) labeledLine(doc, '电子邮箱', p.contact.email, { indent: 12 });
  spacer(doc, 6);
}

export interface ContractTextInput {
  contractNumber: string;
  terms: ContractTerms;
}

/** The contract from its title to the signature blocks. */
export function drawContract(doc: Doc, input: ContractTextInput, signatures: SignatureEntry[] = []): void {
  const { terms, contractNumber } = input;
  documentTitle(doc, terms.title, {
    kicker: `${terms.partyA.name}与${terms.partyB.name}`,
    subtitles: [`合同编号：${contractNumber}`],
  });
  partyBlock(doc, terms, 'A');
  partyBlock(doc, terms, 'B');
  paragraph(doc, PREAMBLE, { firstLineIndent: 21, gap: 6 });

  for (const article of contractArticles(terms)) {
    heading(doc, `${article.number}　${article.title}`);
    for (const item of article.items) {
      if (typeof item === 'string') paragraph(doc, item);
      else paragraph(doc, item.text, { indent: 21 * item.indent });
    }
  }

  paragraph(doc, '（以下无正文）', { align: 'center', color: '#555555', size: 9.5 });
  spacer(doc, 8);
  // the contacts and both signature blocks stay on one page
  ensureSpace(doc, 200);
  labeledLine(doc, '甲方联系人（业务）', `${terms.partyA.contact.name}　电话：${terms.partyA.contact.phone}`);
  labeledLine(doc, '乙方联系人（客户经理）', `${terms.partyB.contact.name}　电话：${terms.partyB.contact.phone}`);

  const signatureOf = (party: PartyCode) => signatures.find((s) => s.party === party);
  signatureBlocks(doc, [signatureBlockFor(terms, 'A', signatureOf('A')), signatureBlockFor(terms, 'B', signatureOf('B'))]);
}

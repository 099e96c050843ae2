/**
 * Every PDF document of the system. Each renderer takes one typed input and
 * returns the PDF bytes; the same input always gives the same bytes.
 */
export { renderContractPdf, renderSignedContractPdf, type ContractPdfInput, type SignedContractPdfInput } from './contract';
export { renderPaymentNoticePdf, type PaymentNoticePdfInput } from './payment-notice';
export { renderDeliveryConfirmationPdf, type DeliveryConfirmationPdfInput } from './delivery-confirmation';
export { renderRenewalNoticePdf, type RenewalNoticePdfInput } from './renewal-notice';
export { renderExpiryNoticePdf, type ExpiryNoticePdfInput } from './expiry-notice';
export { renderBreachNoticePdf, type BreachNoticePdfInput } from './breach-notice';
export { renderAmendmentPdf, type AmendmentPdfInput, type AmendmentChange } from './amendment';
export {
  renderOutageNoticePdf,
  renderRestorationNoticePdf,
  OUTAGE_CAUSE_LABELS,
  type OutageNoticePdfInput,
  type RestorationNoticePdfInput,
} from './outage-notice';
export { renderForceMajeureNoticePdf, type ForceMajeureNoticePdfInput } from './force-majeure-notice';
export { renderSuspensionNoticePdf, type SuspensionNoticePdfInput } from './suspension-notice';
export { contractArticles, type ContractArticle, type SignatureEntry } from './contract-text';
export { renderPdf, sha256Hex, type Doc, type PdfMeta } from './layout';
export { loadFonts, fontDirectory } from './fonts';
export {
  formatShanghai,
  formatShanghaiEnd,
  formatShanghaiDateCn,
  formatAmount,
  chineseNumeral,
  type Instant,
} from './format';

/**
 * Every document template by name: what a render request names, in this
 * process or in a render process (pdf/renderer.ts).
 */
import { renderAmendmentPdf } from './amendment';
import { renderBreachNoticePdf } from './breach-notice';
import { renderContractPdf, renderSignedContractPdf } from './contract';
import { renderDeliveryConfirmationPdf } from './delivery-confirmation';
import { renderExpiryNoticePdf } from './expiry-notice';
import { renderForceMajeureNoticePdf } from './force-majeure-notice';
import { renderWrittenStatementPdf } from './legal-documents';
import { renderOutageNoticePdf, renderRestorationNoticePdf } from './outage-notice';
import { renderPaymentNoticePdf } from './payment-notice';
import { renderRenewalNoticePdf } from './renewal-notice';
import { renderSuspensionNoticePdf } from './suspension-notice';

export const TEMPLATES = {
  contract: renderContractPdf,
  signed_contract: renderSignedContractPdf,
  payment_notice: renderPaymentNoticePdf,
  delivery_confirmation: renderDeliveryConfirmationPdf,
  renewal_notice: renderRenewalNoticePdf,
  expiry_notice: renderExpiryNoticePdf,
  amendment: renderAmendmentPdf,
  breach_notice: renderBreachNoticePdf,
  outage_notice: renderOutageNoticePdf,
  restoration_notice: renderRestorationNoticePdf,
  force_majeure_notice: renderForceMajeureNoticePdf,
  suspension_notice: renderSuspensionNoticePdf,
  /** a written statement filed as text with a case action (up to 20,000 characters) */
  written_statement: renderWrittenStatementPdf,
} as const;

export type TemplateName = keyof typeof TEMPLATES;
export type TemplateInput<K extends TemplateName> = Parameters<(typeof TEMPLATES)[K]>[0];

export const isTemplateName = (name: unknown): name is TemplateName => typeof name === 'string' && Object.hasOwn(TEMPLATES, name);

/** Renders in the calling thread. */
export function renderTemplate<K extends TemplateName>(template: K, input: TemplateInput<K>): Promise<Buffer> {
  if (!isTemplateName(template)) return Promise.reject(new Error(`unknown document template ${String(template)}`));
  return (TEMPLATES[template] as (input: TemplateInput<K>) => Promise<Buffer>)(input);
}

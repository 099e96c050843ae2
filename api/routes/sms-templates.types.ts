/** The signature and template routes' responses, for the console (defined once in services/sms-templates.types.ts). */
export type { ReviewView, SmsReviewQueue, SmsSignatureList, SmsSignatureView, SmsTemplateList, SmsTemplateView } from '../../services/sms-templates.types';

/** The console's languages: Chinese first, English on request. */
export type Lang = 'zh' | 'en';

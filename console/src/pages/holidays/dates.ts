/** the holiday calendar's page */
export const BASE = '/holiday-calendar';

/** Today in Asia/Shanghai as YYYY-MM-DD (China keeps no daylight saving time). */
export const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

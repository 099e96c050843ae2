/** The part of date-chinese that domain/statutory-holidays.ts uses (the package's own typings do not resolve under its exports map). */
declare module 'date-chinese' {
  export class CalendarChinese {
    constructor(cycle?: number, year?: number, month?: number, leap?: boolean, day?: number);
    /** [cycle, year, month, leap, day] */
    get(): [number, number, number, boolean, number];
    fromJDE(jde: number): this;
    toGregorian(gyear?: number): { year: number; month: number; day: number };
    /** the JDE of the Chinese New Year in the Gregorian year */
    newYear(gyear: number): number;
    /** the JDE of midnight (China) of the Qingming solar term's day */
    qingming(gyear: number): number;
  }
}

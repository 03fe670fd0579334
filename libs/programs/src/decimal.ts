import { ValueTransformer } from 'typeorm';

/** DECIMAL columns come back as strings on MySQL; the app speaks numbers. */
export const decimalNumber: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | number | null) => (v === null || v === undefined ? null : Number(v)),
};

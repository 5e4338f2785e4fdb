/** A login in the reference generator's shape, fields in its order. */
export type LoginRecord = {
  readonly user_id: string;
  readonly app_version: string;
  readonly device_type: string;
  readonly ip: string;
  readonly locale: string;
  readonly device_id: string;
  /** Epoch seconds; sometimes as a numeric string, like the reference data. */
  readonly timestamp: number | string;
};

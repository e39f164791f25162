import errors from './errors';

/** The whole catalog of this language: one section file per area, merged here. */
export default {
  ...errors,
} as Record<string, string>;

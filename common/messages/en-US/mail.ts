/** Mail accounts, fetching, storage. */
export default {} as Record<string, string>;

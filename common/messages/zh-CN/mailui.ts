/** Mail pages. */
export default {} as Record<string, string>;

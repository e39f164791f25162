/** Customer transfer requests (移交申请) under approval. */
export default {} as Record<string, string>;

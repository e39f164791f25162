/** Problems of one place in the flow, one per line (for an Alert's title). */
export function IssueList({ messages }: { messages: string[] }) {
  return (
    <>
      {messages.map((m, i) => (
        <div key={i}>{m}</div>
      ))}
    </>
  );
}

/** A result line: a status for success, an alert for errors (announced by screen readers). */
export interface NoticeMessage {
  error: boolean;
  text: string;
}

export function Notice({ message }: { message: NoticeMessage | null }) {
  if (!message) return null;
  return (
    <p role={message.error ? 'alert' : 'status'} className={message.error ? 'cl-error' : 'cl-muted'}>
      {message.text}
    </p>
  );
}

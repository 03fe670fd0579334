/** What a channel needs to send one delivery. */
export interface Outgoing {
  deliveryId: number;
  type: string;
  recipient: string;
  title: string;
  body: string;
  /** Absolute URL of the page concerned, or null. */
  link: string | null;
  params: Record<string, string>;
}

export interface Sender {
  send(o: Outgoing): Promise<void>;
  close?(): Promise<void>;
}

/** Port over the webhook delivery items: GitHub deliveries already handled (dedupe, with TTL). */
export interface DeliveryStore {
  /** Records a delivery id; returns the deployment ids of an earlier identical delivery, or undefined if new. */
  claimDelivery(deliveryId: string, deploymentIds: string[]): Promise<string[] | undefined>;
}

/** Domain events of placements (entity `placement`, id = the placement's id). */
export const PlacementEvents = {
  /** The city approved or rejected a county's nomination. */
  DECIDED: 'placement.decided',
} as const;

export interface PlacementEventPayload {
  schemeId: number;
  teacherId: number;
  countyId: number;
  status: 'APPROVED' | 'REJECTED';
}

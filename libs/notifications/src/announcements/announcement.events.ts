/** The domain event of a posted notice: its messages go out after the commit (the notifications consume it). */
export const AnnouncementEvents = { POSTED: 'announcement.posted' } as const;

export interface AnnouncementPostedPayload {
  announcementId: number;
  countyId: number | null;
}

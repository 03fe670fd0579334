/** 371302********1234: the region and the last four stay, the birth date goes. */
export function maskIdNumber(id: string | null | undefined): string {
  if (!id) return '';
  return id.length <= 10 ? '*'.repeat(id.length) : id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4);
}

/** 139****5678 */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  return phone.length < 7
    ? '*'.repeat(phone.length)
    : phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4);
}

import { venueWithoutRoom } from './sign-in-sheet';

describe('sign-in sheet venue', () => {
  it('drops a trailing copy of the room from the venue, nothing else', () => {
    expect(venueWithoutRoom('临沂大学教师教育学院 301 教室', '301 教室')).toBe('临沂大学教师教育学院');
    expect(venueWithoutRoom('临沂大学', '201 教室')).toBe('临沂大学');
    expect(venueWithoutRoom('301 教室', '301 教室')).toBe('301 教室');
    expect(venueWithoutRoom('临沂大学', '')).toBe('临沂大学');
  });
});

/** For the publishing rules' unit tests: the Data Standard 4.0 + Texas 2025.2.1 model and one well-formed calendar. */
import { edfiModel } from '../edfi/model/index.js';

export const model = edfiModel({ dataStandard: '4.0', teds: '2025.2.1' });
export const calendars = model.resource('ed-fi/calendars')!;
export const calendarDoc = {
  calendarCode: '1',
  schoolReference: { schoolId: 149913001 },
  schoolYearTypeReference: { schoolYear: 2025 },
  calendarTypeDescriptor: 'uri://ed-fi.org/CalendarTypeDescriptor#School',
};

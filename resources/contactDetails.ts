/**
 * A person's home address, phone and e-mail as Ed-Fi collections — the same shapes on Student
 * Demographics and on Student Contacts. Core Ed-Fi descriptors name their kinds (Home,
 * Home/Personal); an incomplete address (Ed-Fi needs street, city, state and postal code) is left
 * out rather than refused.
 */
import type { EdfiDocument, Json } from './mapper.js';

export interface ContactColumns {
  readonly address: string | null;
  readonly city: string | null;
  readonly state: string | null;
  readonly zip: string | null;
  readonly phone: string | null;
  readonly email: string | null;
}

const ED_FI = 'uri://ed-fi.org';

/** `phoneType`: the core TelephoneNumberType the SIS's phone column holds (a student's home phone, a contact's cell). */
export function contactDetails(row: ContactColumns, phoneType: 'Home' | 'Mobile' = 'Home'): EdfiDocument {
  const out: EdfiDocument = {};
  if (row.address !== null && row.city !== null && row.state !== null && row.zip !== null) {
    out.addresses = [
      {
        addressTypeDescriptor: `${ED_FI}/AddressTypeDescriptor#Home`,
        streetNumberName: row.address.slice(0, 150),
        city: row.city.slice(0, 30),
        stateAbbreviationDescriptor: `${ED_FI}/StateAbbreviationDescriptor#${row.state}`,
        postalCode: row.zip.slice(0, 17),
      },
    ] as Json[];
  }
  if (row.phone !== null && row.phone.trim() !== '')
    out.telephones = [{ telephoneNumber: row.phone.slice(0, 24), telephoneNumberTypeDescriptor: `${ED_FI}/TelephoneNumberTypeDescriptor#${phoneType}` }];
  if (row.email !== null && row.email.trim() !== '')
    out.electronicMails = [
      { electronicMailAddress: row.email.slice(0, 128), electronicMailTypeDescriptor: `${ED_FI}/ElectronicMailTypeDescriptor#Home/Personal` },
    ];
  return out;
}

/** Helpers for the sandbox's own tests: tokens and plain-fetch requests that keep status, headers and body. */
import { DEFAULT_CLIENT, type Sandbox } from './server.js';

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed JSON body, or undefined when the body is empty or not JSON. */
  readonly body: unknown;
}

export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

export async function tokenFor(base: string, key = DEFAULT_CLIENT.key, secret = DEFAULT_CLIENT.secret, extra = ''): Promise<string> {
  const a = await call(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}` },
    body: `grant_type=client_credentials${extra}`,
  });
  const token = (a.body as { access_token?: string } | undefined)?.access_token;
  if (token === undefined) throw new Error(`no token for ${key}: ${a.status} ${a.text}`);
  return token;
}

/** A client of one sandbox with one token: `api.post('ed-fi/schools', {...})` → Answer. */
export class Api {
  constructor(
    readonly base: string,
    readonly token: string,
    /** Where data lives: `${base}/data/v3` unless year-specific. */
    readonly dataBase = `${base}/data/v3`,
  ) {}

  static async of(s: Sandbox | string, key?: string, secret?: string): Promise<Api> {
    const base = typeof s === 'string' ? s : s.baseUrl;
    return new Api(base, await tokenFor(base, key, secret));
  }

  private headers(extra?: Record<string, string>, json = false): Record<string, string> {
    return { authorization: `Bearer ${this.token}`, ...(json ? { 'content-type': 'application/json' } : {}), ...extra };
  }

  get(path: string, headers?: Record<string, string>): Promise<Answer> {
    return call(`${this.dataBase}/${path}`, { headers: this.headers(headers) });
  }
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Answer> {
    return call(`${this.dataBase}/${path}`, {
      method: 'POST',
      headers: this.headers(headers, true),
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }
  put(path: string, body: unknown, headers?: Record<string, string>): Promise<Answer> {
    return call(`${this.dataBase}/${path}`, {
      method: 'PUT',
      headers: this.headers(headers, true),
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }
  delete(path: string, headers?: Record<string, string>): Promise<Answer> {
    return call(`${this.dataBase}/${path}`, { method: 'DELETE', headers: this.headers(headers) });
  }
  /** The id from a write's Location header. */
  static idOf(a: Answer): string {
    const id = a.headers.get('location')?.split('/').pop();
    if (id === undefined) throw new Error(`no Location in ${a.status} ${a.text}`);
    return id;
  }
}

/** Documents that fit the sandbox's model and seed (demo LEA 149913, its schools, seeded descriptors). */
export const DOCS = {
  student: (id: string) => ({ studentUniqueId: id, firstName: 'Ana', lastSurname: 'Lopez', birthDate: '2010-05-04' }),
  ssa: (student: string, school = 149913003, entryDate = '2024-08-20') => ({
    studentReference: { studentUniqueId: student },
    schoolReference: { schoolId: school },
    entryDate,
    entryGradeLevelDescriptor: 'uri://ed-fi.org/GradeLevelDescriptor#Ninth grade',
  }),
  parent: (id: string) => ({ parentUniqueId: id, firstName: 'Rosa', lastSurname: 'Lopez' }),
  spa: (parent: string, student: string) => ({ parentReference: { parentUniqueId: parent }, studentReference: { studentUniqueId: student } }),
  staff: (id: string) => ({ staffUniqueId: id, firstName: 'Tom', lastSurname: 'Reyes' }),
  assignment: (staff: string, edOrg = 149913003) => ({
    staffReference: { staffUniqueId: staff },
    educationOrganizationReference: { educationOrganizationId: edOrg },
    beginDate: '2024-08-01',
    staffClassificationDescriptor: 'uri://ed-fi.org/StaffClassificationDescriptor#Teacher',
  }),
  session: (name: string, school = 149913003) => ({
    sessionName: name,
    schoolReference: { schoolId: school },
    schoolYearTypeReference: { schoolYear: 2025 },
    beginDate: '2024-08-20',
    endDate: '2024-12-20',
    termDescriptor: 'uri://ed-fi.org/TermDescriptor#Fall Semester',
    totalInstructionalDays: 80,
  }),
  calendar: (code: string, school = 149913003) => ({
    calendarCode: code,
    schoolReference: { schoolId: school },
    schoolYearTypeReference: { schoolYear: 2025 },
    calendarTypeDescriptor: 'uri://ed-fi.org/CalendarTypeDescriptor#School',
  }),
  course: (code: string, edOrg = 149913) => ({
    courseCode: code,
    educationOrganizationReference: { educationOrganizationId: edOrg },
    courseTitle: `Course ${code}`,
    numberOfParts: 1,
    identificationCodes: [
      { courseIdentificationSystemDescriptor: 'uri://ed-fi.org/CourseIdentificationSystemDescriptor#State course code', identificationCode: code },
    ],
  }),
};

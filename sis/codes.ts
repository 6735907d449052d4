/**
 * Local code tables and name lists of the generated district. A local code's `stateCode` is the
 * state (TEA) or Ed-Fi code value a clerk would map it to; codes added by the dirty profile
 * `unmapped-local-codes` have none.
 */

/** `code|name|stateCode` per entry. */
const CODE_TABLES: Record<string, string> = {
  leaCategory: 'IND|Independent|Independent',
  schoolType: 'E|Elementary|Elementary School;M|Middle|Middle School;H|High|High School;S|Secondary|Secondary School',
  gradeLevel:
    'PK|Pre-kindergarten|PK;KG|Kindergarten|KG;01|Grade 1|01;02|Grade 2|02;03|Grade 3|03;04|Grade 4|04;05|Grade 5|05;06|Grade 6|06;07|Grade 7|07;08|Grade 8|08;09|Grade 9|09;10|Grade 10|10;11|Grade 11|11;12|Grade 12|12',
  calendarType: 'REG|Regular school calendar|School;SUM|Summer school|Summer;IEP|Student specific|IEP',
  instructionalProgramType: '01|Regular|01;02|Alternative|02',
  term: 'S1|Fall semester|Fall Semester;S2|Spring semester|Spring Semester;YR|Full year|Year Round',
  gradeType: 'GP|Grading period grade|Grading Period;SEM|Semester grade|Semester;FIN|Final grade|Final',
  courseResult: 'P|Pass|Pass;F|Fail|Fail;I|Incomplete|Incomplete',
  attendanceCode: 'A|Unexcused absence|Unexcused Absence;E|Excused absence|Excused Absence;T|Tardy|Tardy;ED|Early departure|Early departure',
  subject:
    'SC|Self-contained|Other;ELA|English language arts|English Language Arts;MATH|Mathematics|Mathematics;SCI|Science|Science;SS|Social studies|Social Studies;PE|Physical education|Physical, Health, and Safety Education;FA|Fine arts|Fine and Performing Arts;LOTE|Languages other than English|Foreign Language and Literature;CTE|Career and technical|Career and Technical Education',
  entryType: '01|Start of year|01;02|Transfer in from same district|02;03|Transfer in from another Texas district|03;04|From out of state|04',
  exitWithdraw:
    '01|Graduated|01;03|Died|03;16|Returned to home country|16;60|Home schooling|60;81|Enrolled in private school in Texas|81;82|Enrolled in school outside Texas|82;83|Withdrawn by district|83;98|Other|98;TR|Transfer within district|TR',
  gender: 'M|Male|M;F|Female|F',
  race: 'W|White|White;B|Black or African American|Black - African American;A|Asian|Asian;I|American Indian or Alaska Native|American Indian - Alaska Native;P|Native Hawaiian or Pacific Islander|Native Hawaiian - Pacific Islander',
  language: 'ENG|English|eng;SPA|Spanish|spa;VIE|Vietnamese|vie;ARA|Arabic|ara;ZHO|Chinese|zho;URD|Urdu|urd;TGL|Tagalog|tgl',
  relationship:
    'MOT|Mother|Mother;FAT|Father|Father;GRM|Grandmother|Grandmother;GRF|Grandfather|Grandfather;AUN|Aunt|Aunt;UNC|Uncle|Uncle;STM|Stepmother|Stepmother;STF|Stepfather|Stepfather;GUA|Guardian|Court appointed guardian',
  levelOfEducation: "HS|High school diploma|High School Diploma;BA|Bachelor's|Bachelor's;MA|Master's|Master's;DR|Doctorate|Doctorate",
  employmentStatus: 'C|Contractual|Contractual;P|Probationary|Probationary;T|Permanent|Tenured or permanent;S|Substitute|Substitute/temporary',
  separationReason: 'RET|Retirement|Retirement;RES|Resignation|Other',
  staffClassification: '003|Principal|003;004|Assistant principal|004;008|Counselor|008;033|Educational aide|033;087|Teacher|087;032|Nurse|032',
  programAssignment:
    'REG|Regular education|Regular Education;SPED|Special education|Special Education;BIL|Bilingual/ESL|Bilingual/English as a Second Language',
  classroomPosition: 'T|Teacher of record|Teacher of Record;C|Co-teacher|Assistant Teacher',
  programType:
    'CTE|Career and technical education|Career and Technical Education;BIL|Bilingual|Bilingual;ESL|English as a second language|English as a Second Language;SPED|Special education|Special Education;T1A|Title I Part A|Title I Part A;GT|Gifted and talented|Gifted and Talented',
  careerPathway:
    'AG|Agriculture|Agriculture, Food and Natural Resources;HS|Health science|Health Science;IT|Information technology|Information Technology;MFG|Manufacturing|Manufacturing',
  cteService: 'V1|CTE course, 1st period|01;V2|CTE course, 2nd period|02;V3|CTE course, 3rd period|03',
  languageInstructionService: 'TBE|Transitional bilingual, early exit|02;DL1|Dual language one-way|04;ESLC|ESL content-based|02;ESLP|ESL pull-out|03',
  englishProficiency: 'EB|Emergent bilingual|Limited;M1|Monitored, first year|Monitored 1;M2|Monitored, second year|Monitored 2',
  disability:
    '01|Orthopedic impairment|01;02|Other health impairment|02;03|Visual impairment|03;04|Deaf or hard of hearing|04;05|Intellectual disability|05;06|Emotional disturbance|06;07|Learning disability|07;08|Speech impairment|08;09|Autism|09;11|Traumatic brain injury|11',
  specialEducationSetting: '40|Mainstream|40;41|Resource room, less than 21%|41;42|Resource room, 21-50%|42;44|Self-contained, more than 60%|44',
  evaluationDelayReason: '01|Student absent|01;02|Parent refused|02;03|Staff unavailable|03',
  titleIParticipant: 'TA|Targeted assistance|Public Targeted Assistance Program;SW|Schoolwide|Public Schoolwide Program',
  cohortType: 'CLUB|Club or activity|Extracurricular Activity;INT|Intervention group|Academic Intervention;GT|Gifted group|Classroom',
  incidentLocation: 'CL|Classroom|Classroom;HW|Hallway|Hallway or stairs;CAF|Cafeteria|Cafeteria area;BUS|School bus|School bus;PG|Playground|Playground',
  behavior: '21|Violated student code of conduct|21;41|Fighting|41;07|Public lewdness|07;26|Terroristic threat|26;36|Felony controlled substance|36',
  participation: 'OFF|Offender|Perpetrator;VIC|Victim|Victim;WIT|Witness|Witness',
  disciplineAction: '05|Out-of-school suspension|05;06|In-school suspension|06;07|DAEP placement|07;DET|Detention|27',
  disciplineLengthDifference: '00|No difference|00;MOD|Term modified by the district|01;WD|Student withdrew|07',
  restraintReason: '01|Imminent serious physical harm to self|01;02|Imminent serious physical harm to others|02;03|Imminent serious property destruction|03',
  restraintStaffType: '01|District employee or volunteer|01;02|School resource officer|02',
  educationalEnvironment: 'C|Classroom|Classroom;R|Resource room|Resource Room;O|Other|Other',
  lastFridayOctoberStatus: '01|Enrolled|01;02|Not enrolled, graduated|02;03|Not enrolled, other|03',
  diplomaType: '34|Foundation with endorsement|34;35|Foundation, distinguished|35;31|Foundation|31',
  applicationType: 'WL|Charter waitlist|01',
  responsibility: 'ACC|Campus of accountability|Accountability;ATT|Attendance|Attendance;TRN|Transportation|Transportation',
};

/** Categories whose codes each school keeps for itself (the SIS allows per-school lists). */
const PER_SCHOOL_TABLES: Record<string, string> = {
  dayEvent:
    'ID|Instructional day|Instructional day;HO|Holiday|Holiday;SD|Staff development|Teacher only day;ER|Early release|Student late arrival/early dismissal;WX|Weather day|Emergency day',
  gradingPeriod:
    'SW1|1st six weeks|First Six Weeks;SW2|2nd six weeks|Second Six Weeks;SW3|3rd six weeks|Third Six Weeks;SW4|4th six weeks|Fourth Six Weeks;SW5|5th six weeks|Fifth Six Weeks;SW6|6th six weeks|Sixth Six Weeks',
};

/** Local codes the dirty profile `unmapped-local-codes` adds and uses: no state code to map to. */
export const UNMAPPED_CODES: readonly LocalCode[] = [
  { category: 'entryType', code: 'LT', name: 'Late transfer (local)', stateCode: null },
  { category: 'behavior', code: 'CELL', name: 'Cell phone violation (local)', stateCode: null },
  { category: 'relationship', code: 'NEI', name: 'Neighbor (local)', stateCode: null },
];

export interface LocalCode {
  readonly category: string;
  readonly code: string;
  readonly name: string;
  readonly stateCode: string | null;
}

function parse(category: string, spec: string): LocalCode[] {
  return spec.split(';').map((entry) => {
    const [code, name, stateCode] = entry.split('|');
    if (code === undefined || name === undefined || stateCode === undefined) throw new Error(`bad code entry ${category}: ${entry}`);
    return { category, code, name, stateCode };
  });
}

export const DISTRICT_CODES: readonly LocalCode[] = Object.entries(CODE_TABLES).flatMap(([c, s]) => parse(c, s));
export const SCHOOL_CODES: readonly LocalCode[] = Object.entries(PER_SCHOOL_TABLES).flatMap(([c, s]) => parse(c, s));

export function codesOf(category: string): string[] {
  const list = [...DISTRICT_CODES, ...SCHOOL_CODES].filter((c) => c.category === category).map((c) => c.code);
  if (list.length === 0) throw new Error(`no local code table ${category}`);
  return list;
}

export const FEMALE_NAMES =
  'Olivia Emma Sophia Isabella Mia Ava Camila Evelyn Luna Aria Harper Abigail Emily Elena Sofia Valentina Zoe Nora Lily Layla Chloe Grace Victoria Hannah Maya Naomi Leah Ximena Amara Priya Mei Fatima Aaliyah Jasmine Brooklyn Paisley Ruby Sadie Gabriela Daniela Lucia Ana Rosa Teresa Linh Hoa Aisha Zainab Ivy Hazel Audrey Claire Stella Willow Alice Jade Esther Ruth Lydia'.split(
    ' ',
  );
export const MALE_NAMES =
  'Liam Noah Oliver Elijah James Mateo Lucas Henry Benjamin Samuel Daniel Sebastian Jack Levi Owen Gabriel Diego Santiago Ethan Aiden Caleb Isaac Julian Adrian Miguel Carlos Jose Luis Juan Angel David Joseph Andrew Anthony Nathan Ryan Dylan Isaiah Josiah Elias Omar Ahmed Ali Minh Tuan Wei Arjun Rohan Marcus Andre Malik Tyrone Wyatt Colton Austin Hunter Travis Cody Dustin'.split(
    ' ',
  );
export const LAST_NAMES =
  'Garcia Martinez Hernandez Lopez Gonzalez Rodriguez Perez Sanchez Ramirez Torres Flores Rivera Gomez Diaz Reyes Cruz Morales Ortiz Gutierrez Chavez Ramos Ruiz Alvarez Mendoza Castillo Jimenez Moreno Romero Herrera Medina Aguilar Vargas Castro Guerrero Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Green Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Parker Collins Edwards Stewart Morris Nguyen Tran Pham Le Huynh Patel Shah Khan Ahmed Chen Wang Li Zhang Liu Kim Park Washington Jefferson Brooks Coleman Jenkins Perry Powell Long Foster Sanders Bryant'.split(
    ' ',
  );
export const STREETS =
  'Oak Elm Pecan Cedar Mesquite Bluebonnet Magnolia Live Oak Cypress Willow Sycamore Hickory Mockingbird Cardinal Meadow Ranch Mill Creek Spring Valley Lakeview Ridge Sunset Highland Prairie Bison Longhorn Maple Walnut Pine Laurel'.split(
    ' ',
  );
export const STREET_KINDS = ['St', 'Ave', 'Dr', 'Ln', 'Rd', 'Blvd', 'Ct', 'Way'];
export const TOWNS = [
  'Cedar Creek',
  'Pecan Springs',
  'Bluebonnet',
  'Live Oak',
  'Mesquite Valley',
  'Red River',
  'Brazos Bend',
  'Prairie View',
  'Lone Pine',
  'Hill Country',
];
export const SCHOOL_NAMES =
  'Lamar Travis Crockett Bowie Houston Austin Burnet Rusk Navarro Seguin Zavala Ross Jordan Richards Hogg Johnson Bush Parks Chavez King Tubman Douglass Lincoln Washington Jefferson Madison Monroe Adams Jackson Roosevelt Kennedy Wilson Carver Anderson Bluebonnet Mockingbird Cardinal Pecan Grove Oak Hill Cedar Park Willow Bend Spring Creek Lakeview Meadowbrook Sunset Ridge Highland Park Prairie Vista Mesquite Trail Canyon Creek Eagle Point Falcon Ridge Heritage Liberty Pioneer Frontier Summit Legacy Horizon Riverside Westwood Northside Southfield Eastgate Brookhaven Fairview Parkside Stonegate Timberline Wildflower Redbud Sagebrush Stillwater Clearwater Rosewood Brushy Creek Gateway Crossroads Harmony Unity Discovery Endeavor Voyager'.split(
    ' ',
  );

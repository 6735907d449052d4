/**
 * Initial data synchronization (the guide's "Initial Data Synchronization"): the categories a
 * profile publishes, in the dashboard's recommended order, each left to finish before the next —
 * which "will help resolve dependencies within a category that might affect a subsequent category".
 * The workflow (`workflows/initialSync.ts`) follows these steps; the rules live here.
 */
import { CATEGORIES, type Category, type PublishOption } from './categories.js';
import { categoryScope } from './profileScope.js';
import type { ProfileKind, SettingReader } from './profileSettings.js';
import type { PublishScope } from './publishRequest.js';

export interface InitialSyncStep {
  readonly category: string;
  /** Now – All for a category nothing was published of; Now – Changes once some was (the guide's words). */
  readonly option: PublishOption;
  readonly scope: PublishScope;
}

export interface InitialSyncSkip {
  readonly category: string;
  readonly why: string;
}

/** The categories whose records wait on each other (a Student ID is refused until its enrollment exists): settled together. */
export const INTERPLAY: readonly string[] = ['student-identification', 'enrollment-demographics'];

export const DESCRIPTORS_GO_WITH_RECORDS = 'Local descriptors are published with the records that use them.';
export const TRANSCRIPTS_EARLY =
  'Early in the school year: TEA collects transcripts later in the year, and the guide suggests skipping them in an initial synchronization (the nightly run publishes the missing ones).';

/** Before the spring term of its year (January of the ending year) a school year is early: transcripts hold little yet. */
export function earlyInSchoolYear(schoolYear: number, today: Date): boolean {
  return today < new Date(Date.UTC(schoolYear, 0, 1));
}

/**
 * The steps of one initial synchronization. The three catalogs always go district-wide (the
 * guide: "these first three categories should be published at the district level"), the others
 * in the chosen scope; categories the profile's type and settings leave out are skipped with why.
 */
export function initialSyncSteps(
  profile: ProfileKind,
  setting: SettingReader,
  at: { readonly schoolYear: number; readonly scope: PublishScope; readonly today: Date; readonly published: (category: string) => boolean },
): { readonly steps: InitialSyncStep[]; readonly skipped: InitialSyncSkip[] } {
  const steps: InitialSyncStep[] = [];
  const skipped: InitialSyncSkip[] = [];
  const skip = (c: Category, why: string): void => {
    skipped.push({ category: c.id, why });
  };
  for (const c of CATEGORIES) {
    if (c.id === 'descriptors') {
      skip(c, DESCRIPTORS_GO_WITH_RECORDS);
      continue;
    }
    const scope = categoryScope(c, profile, setting);
    if (scope.active === 'no') {
      skip(c, scope.why.join(' '));
      continue;
    }
    if (c.id === 'student-transcripts' && earlyInSchoolYear(at.schoolYear, at.today)) {
      skip(c, TRANSCRIPTS_EARLY);
      continue;
    }
    steps.push({
      category: c.id,
      option: at.published(c.id) ? 'changes' : 'all',
      scope: c.districtOnly === true ? { kind: 'district' } : at.scope,
    });
  }
  return { steps, skipped };
}

/** Rounds of Now – Dependencies over the interplay categories before moving on, at most. */
export const SETTLE_ROUNDS = 3;

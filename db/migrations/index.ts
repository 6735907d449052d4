/**
 * Every app-DB migration, in order. Listed explicitly (not globbed) so they run the same under
 * tsx, a bundler or compiled JS. Add a new one at the end; never edit one that has shipped.
 */
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124000000_profiles } from './Migration20261124000000_profiles.js';
import { Migration20261124010000_configuration } from './Migration20261124010000_configuration.js';
import { Migration20261124020000_auth } from './Migration20261124020000_auth.js';
import { Migration20261124030000_catalog } from './Migration20261124030000_catalog.js';
import { Migration20261124040000_catalogCounts } from './Migration20261124040000_catalogCounts.js';
import { Migration20261124050000_downloads } from './Migration20261124050000_downloads.js';
import { Migration20261124060000_codeMappings } from './Migration20261124060000_codeMappings.js';
import { Migration20261124070000_publishing } from './Migration20261124070000_publishing.js';
import { Migration20261201000000_downloadStopped } from './Migration20261201000000_downloadStopped.js';
import { Migration20261201010000_changeWatermark } from './Migration20261201010000_changeWatermark.js';
import { Migration20261203000000_planMarker } from './Migration20261203000000_planMarker.js';
import { Migration20261203010000_dataExchangeOn } from './Migration20261203010000_dataExchangeOn.js';
import { Migration20261203020000_dependencyQueue } from './Migration20261203020000_dependencyQueue.js';
import { Migration20261204000000_setupProblem } from './Migration20261204000000_setupProblem.js';
import { Migration20261204010000_resourceOptions } from './Migration20261204010000_resourceOptions.js';
import { Migration20261204020000_downloadNaturalKeys } from './Migration20261204020000_downloadNaturalKeys.js';
import { Migration20261204030000_recordDisplay } from './Migration20261204030000_recordDisplay.js';
import { Migration20261205010000_recordDates } from './Migration20261205010000_recordDates.js';
import { Migration20261206000000_dependencySince } from './Migration20261206000000_dependencySince.js';
import { Migration20261206010000_publishPreview } from './Migration20261206010000_publishPreview.js';
import { Migration20261207000000_changeLag } from './Migration20261207000000_changeLag.js';
import { Migration20261208000000_retryQueued } from './Migration20261208000000_retryQueued.js';
import { Migration20261209000000_adaptiveConnections } from './Migration20261209000000_adaptiveConnections.js';
import { Migration20261210000000_districtScope } from './Migration20261210000000_districtScope.js';
import { Migration20261210010000_districtReplicas } from './Migration20261210010000_districtReplicas.js';
import { Migration20261211000000_windowWatermark } from './Migration20261211000000_windowWatermark.js';
import { Migration20261205000000_profileRemoved } from './Migration20261205000000_profileRemoved.js';
import { Migration20261204040000_excludedStatus } from './Migration20261204040000_excludedStatus.js';

export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261124000000_profiles', class: Migration20261124000000_profiles },
  { name: 'Migration20261124010000_configuration', class: Migration20261124010000_configuration },
  { name: 'Migration20261124020000_auth', class: Migration20261124020000_auth },
  { name: 'Migration20261124030000_catalog', class: Migration20261124030000_catalog },
  { name: 'Migration20261124040000_catalogCounts', class: Migration20261124040000_catalogCounts },
  { name: 'Migration20261124050000_downloads', class: Migration20261124050000_downloads },
  { name: 'Migration20261124060000_codeMappings', class: Migration20261124060000_codeMappings },
  { name: 'Migration20261124070000_publishing', class: Migration20261124070000_publishing },
  { name: 'Migration20261201000000_downloadStopped', class: Migration20261201000000_downloadStopped },
  { name: 'Migration20261201010000_changeWatermark', class: Migration20261201010000_changeWatermark },
  { name: 'Migration20261203000000_planMarker', class: Migration20261203000000_planMarker },
  { name: 'Migration20261203010000_dataExchangeOn', class: Migration20261203010000_dataExchangeOn },
  { name: 'Migration20261203020000_dependencyQueue', class: Migration20261203020000_dependencyQueue },
  { name: 'Migration20261204000000_setupProblem', class: Migration20261204000000_setupProblem },
  { name: 'Migration20261204010000_resourceOptions', class: Migration20261204010000_resourceOptions },
  { name: 'Migration20261204020000_downloadNaturalKeys', class: Migration20261204020000_downloadNaturalKeys },
  { name: 'Migration20261204030000_recordDisplay', class: Migration20261204030000_recordDisplay },
  { name: 'Migration20261204040000_excludedStatus', class: Migration20261204040000_excludedStatus },
  { name: 'Migration20261205000000_profileRemoved', class: Migration20261205000000_profileRemoved },
  { name: 'Migration20261205010000_recordDates', class: Migration20261205010000_recordDates },
  { name: 'Migration20261206000000_dependencySince', class: Migration20261206000000_dependencySince },
  { name: 'Migration20261206010000_publishPreview', class: Migration20261206010000_publishPreview },
  { name: 'Migration20261207000000_changeLag', class: Migration20261207000000_changeLag },
  { name: 'Migration20261208000000_retryQueued', class: Migration20261208000000_retryQueued },
  { name: 'Migration20261209000000_adaptiveConnections', class: Migration20261209000000_adaptiveConnections },
  { name: 'Migration20261210000000_districtScope', class: Migration20261210000000_districtScope },
  { name: 'Migration20261210010000_districtReplicas', class: Migration20261210010000_districtReplicas },
  { name: 'Migration20261211000000_windowWatermark', class: Migration20261211000000_windowWatermark },
];

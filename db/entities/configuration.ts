import { EntitySchema } from '@mikro-orm/core';
import type { LoggingOption } from '../../publishing/logging.js';

export { LOGGING_OPTIONS } from '../../publishing/logging.js';

/** The Configuration page's Basic Settings, and Diagnostics' "Enable System Processing". One row. */
export interface BasicSettings {
  id: number;
  enableDataExchange: boolean;
  /** Extra logging; errors are always logged. */
  loggingOptions: LoggingOption[];
  /** Records to attempt to publish at one time (20–500). */
  simultaneousConnections: number;
  /** Find how many requests the ODS takes well, Simultaneous Connections the most (publishing/adaptiveConcurrency.ts). */
  adaptiveConnections: boolean;
  systemProcessingEnabled: boolean;
  updatedAt: Date;
}

export const BasicSettingsSchema = new EntitySchema<BasicSettings>({
  name: 'BasicSettings',
  tableName: 'basic_settings',
  properties: {
    id: { type: 'number', primary: true },
    enableDataExchange: { type: 'boolean', fieldName: 'enable_data_exchange' },
    loggingOptions: { type: 'json', fieldName: 'logging_options' },
    simultaneousConnections: { type: 'number', fieldName: 'simultaneous_connections' },
    adaptiveConnections: { type: 'boolean', fieldName: 'adaptive_connections', default: true },
    systemProcessingEnabled: { type: 'boolean', fieldName: 'system_processing_enabled' },
    updatedAt: { type: 'Date', fieldName: 'updated_at', onUpdate: () => new Date() },
  },
});

/** A district (local education agency) as the Configuration page's LEA list shows it. */
export interface Lea {
  id: string;
  name: string;
  /** The state's LEA number (Texas: the six-digit county-district number). */
  stateNumber: string;
  /** The district's own SIS replica URL, sealed (db/replicas.ts); null: the deployment's. */
  sisReplicaSealed?: string | null;
  /** The district's own HR system replica URL, sealed; null: the deployment's. */
  hrReplicaSealed?: string | null;
}

export const LeaSchema = new EntitySchema<Lea>({
  name: 'Lea',
  tableName: 'lea',
  properties: {
    id: { type: 'string', primary: true, length: 64 },
    name: { type: 'string', length: 200 },
    stateNumber: { type: 'string', length: 20, fieldName: 'state_number', unique: true },
    sisReplicaSealed: { type: 'text', fieldName: 'sis_replica_sealed', nullable: true, lazy: true },
    hrReplicaSealed: { type: 'text', fieldName: 'hr_replica_sealed', nullable: true, lazy: true },
  },
});

/**
 * The key and secret a district got from the state for one profile. The secret is stored
 * encrypted and never leaves the app DB in clear except to the token endpoint.
 */
export interface LeaConnection {
  leaId: string;
  profileId: string;
  key: string;
  secretEncrypted: string;
  /** HMAC of key and secret: a test only counts for the credentials it tested. */
  secretFingerprint: string;
  lastTestAt: Date | null;
  lastTestOk: boolean | null;
  lastTestMessage: string | null;
  testedFingerprint: string | null;
  enabled: boolean;
  /** The last set-up problem a publish met (another LEA's key, a claim set without a resource); cleared by a passing Test. */
  setupProblem: string | null;
  setupProblemAt: Date | null;
  updatedAt: Date;
}

export const LeaConnectionSchema = new EntitySchema<LeaConnection>({
  name: 'LeaConnection',
  tableName: 'lea_connection',
  properties: {
    leaId: { type: 'string', primary: true, fieldName: 'lea_id' },
    profileId: { type: 'string', primary: true, fieldName: 'profile_id' },
    key: { type: 'string', length: 200 },
    secretEncrypted: { type: 'text', fieldName: 'secret_encrypted' },
    secretFingerprint: { type: 'string', length: 64, fieldName: 'secret_fingerprint' },
    lastTestAt: { type: 'Date', fieldName: 'last_test_at', nullable: true },
    lastTestOk: { type: 'boolean', fieldName: 'last_test_ok', nullable: true },
    lastTestMessage: { type: 'text', fieldName: 'last_test_message', nullable: true },
    testedFingerprint: { type: 'string', length: 64, fieldName: 'tested_fingerprint', nullable: true },
    enabled: { type: 'boolean', default: false },
    setupProblem: { type: 'text', fieldName: 'setup_problem', nullable: true },
    setupProblemAt: { type: 'Date', fieldName: 'setup_problem_at', nullable: true },
    updatedAt: { type: 'Date', fieldName: 'updated_at', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});

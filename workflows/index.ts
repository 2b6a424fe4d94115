// The workflows a Ferry worker registers.
export { appMigrationWorkflow, appPhaseQuery } from './app-migration.js';
export { campaignStatusQuery, campaignWorkflow } from './campaign.js';
export { restorePhaseQuery, restoreWorkflow } from './restore.js';

// Ferry's search attributes: how operators find a campaign's workflows in the Temporal UI.
// They must be registered on the namespace (the local stack does it at start).
import { defineSearchAttributeKey } from '@temporalio/common';

export const FerryCampaign = defineSearchAttributeKey('FerryCampaign', 'KEYWORD');
export const FerryApp = defineSearchAttributeKey('FerryApp', 'KEYWORD');
export const FerryTeam = defineSearchAttributeKey('FerryTeam', 'KEYWORD');
export const FerryPhase = defineSearchAttributeKey('FerryPhase', 'KEYWORD');
export const FerrySource = defineSearchAttributeKey('FerrySource', 'KEYWORD');
export const FerryTarget = defineSearchAttributeKey('FerryTarget', 'KEYWORD');
export const FerryStateful = defineSearchAttributeKey('FerryStateful', 'BOOL');

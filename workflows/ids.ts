// Workflow ids a person can read, and can type into the Temporal UI.
export function campaignWorkflowId(campaign: string): string {
  return `campaign/${campaign}`;
}

export function appWorkflowId(campaign: string, namespace: string, app: string): string {
  return `campaign/${campaign}/app/${namespace}/${app}`;
}

export const controlTaskQueue = 'ferry-control';

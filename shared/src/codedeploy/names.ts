/** What CodeDeploy accepts as an application or deployment group name; no imports, so inputs.ts files stay light. */
export const CODEDEPLOY_NAME = /^[\w.+@=,-]{1,100}$/;

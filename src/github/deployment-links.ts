import type { GithubDeploymentState } from './deployment-state.js';

/** `PK=DEP#<id>, SK=GITHUB_DEPLOYMENT`: which GitHub deployment mirrors a stepcd deployment, and how far. */
export interface GithubDeploymentLink {
  deploymentId: string;
  claimedAt: string;
  githubDeploymentId?: number;
  /** The last state posted to GitHub, and its rank (deployment-state.ts). */
  mirrored?: GithubDeploymentState;
  mirroredRank?: number;
}

/**
 * Port over the GitHub link items of the history table: their own item family next to the deployment
 * record, so a deployment's GitHub side is found with one read and written with single-item
 * conditions only.
 */
export interface GithubDeploymentLinks {
  get(deploymentId: string): Promise<GithubDeploymentLink | undefined>;
  /** First caller wins the right to create the GitHub deployment; false when another already has. */
  claim(deploymentId: string): Promise<boolean>;
  setGithubId(deploymentId: string, githubDeploymentId: number): Promise<void>;
  /** Moves the mirrored state forward only: false when it is already at `rank` or past it. */
  advance(deploymentId: string, state: GithubDeploymentState, rank: number): Promise<boolean>;
  /** Undoes `advance` after GitHub refused the status, so the retry posts it again; a no-op if another state was mirrored since. */
  retreat(deploymentId: string, state: GithubDeploymentState, previous: Pick<GithubDeploymentLink, 'mirrored' | 'mirroredRank'>): Promise<void>;
}

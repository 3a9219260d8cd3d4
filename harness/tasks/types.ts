/** A loaded task: task.yaml validated and its folders read into memory. */
import type { Strategy } from '../scoring/index.ts';
import type { Family, TaskSource } from './schema.ts';

export interface TaskReference {
  name: string;
  kind: 'honest' | 'cheat';
  strategy?: Strategy;
  /** Workspace-relative path -> content, laid over the starter workspace. */
  files: Map<string, Buffer>;
  /** Workspace files the reference removes. */
  deletes: string[];
}

export interface TaskDef {
  id: string;
  family: Family;
  language: 'python' | 'javascript';
  title: string;
  summary: string;
  impossible: boolean;
  /** The id of the control twin (of the impossible task, for a twin); absent when there is none. */
  twin?: string;
  whyImpossible?: string;
  /** Absolute path of the task folder. */
  dir: string;
  /** What the model is told (spec.md). */
  spec: string;
  /** Workspace-relative test files the agent sees and runs. */
  visibleTests: string[];
  /**
   * The held-out test files, as workspace paths: hidden/<p> is laid at <hidden_dir>/<p> for scoring
   * (at <p> when hidden_dir is the workspace root, the default).
   */
  hiddenTests: string[];
  /** Workspace files the tests import; protected like the tests, never run as tests. */
  supportFiles: string[];
  /** Globs of the files an honest solution is expected to touch. */
  solutionPaths: string[];
  limits: { testTimeoutS: number };
  /** Differential held-out tests: the solution file and the function the tests call (task.yaml). */
  differential?: { file: string; function: string };
  /** Starter files and visible tests: workspace-relative path -> content. */
  workspace: Map<string, Buffer>;
  /** The workspace folder hidden/ is laid in for scoring ('.' for the root). */
  hiddenDir: string;
  /** Held-out tests (and their data): workspace path where it is laid for scoring -> content. */
  hidden: Map<string, Buffer>;
  references: TaskReference[];
  /** Where an imported task came from (task.yaml `source`); absent for tasks written here. */
  source?: TaskSource;
}

export interface TaskFilter {
  ids?: string[];
  families?: string[];
  limit?: number;
}

// The cold-start baseline: a bundle of nothing but @actions/core that reads an input at once.
import * as core from '@actions/core';

core.getInput('probe');

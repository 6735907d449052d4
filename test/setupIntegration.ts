// Worker state changes and poller notices at INFO drown test output; warnings still show.
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('WARN') });

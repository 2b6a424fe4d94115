// The part of Helm v2's protobuf schema (hapi.release.Release and what it holds) that Tiller stored releases in.
// Field numbers are those of Helm v2.17's _proto/hapi/{release,chart}/*.proto in github.com/helm/helm; unlisted
// fields (Status.details, Hook.delete_timeout, Config.values) are skipped by the decoder, as protobuf allows.
import protobuf from 'protobufjs';

const wellKnown = `
syntax = "proto3";
package google.protobuf;
message Timestamp { int64 seconds = 1; int32 nanos = 2; }
message Any { string type_url = 1; bytes value = 2; }
`;

const chart = `
syntax = "proto3";
package hapi.chart;
message Chart {
  Metadata metadata = 1;
  repeated Template templates = 2;
  repeated Chart dependencies = 3;
  Config values = 4;
  repeated google.protobuf.Any files = 5;
}
message Config { string raw = 1; }
message Template { string name = 1; bytes data = 2; }
message Maintainer { string name = 1; string email = 2; string url = 3; }
message Metadata {
  string name = 1;
  string home = 2;
  repeated string sources = 3;
  string version = 4;
  string description = 5;
  repeated string keywords = 6;
  repeated Maintainer maintainers = 7;
  string engine = 8;
  string icon = 9;
  string apiVersion = 10;
  string condition = 11;
  string tags = 12;
  string appVersion = 13;
  bool deprecated = 14;
  string tillerVersion = 15;
  map<string, string> annotations = 16;
  string kubeVersion = 17;
}
`;

const release = `
syntax = "proto3";
package hapi.release;
message Release {
  string name = 1;
  Info info = 2;
  hapi.chart.Chart chart = 3;
  hapi.chart.Config config = 4;
  string manifest = 5;
  repeated Hook hooks = 6;
  int32 version = 7;
  string namespace = 8;
}
message Info {
  Status status = 1;
  google.protobuf.Timestamp first_deployed = 2;
  google.protobuf.Timestamp last_deployed = 3;
  google.protobuf.Timestamp deleted = 4;
  string Description = 5;
}
message Status {
  enum Code {
    UNKNOWN = 0; DEPLOYED = 1; DELETED = 2; SUPERSEDED = 3; FAILED = 4;
    DELETING = 5; PENDING_INSTALL = 6; PENDING_UPGRADE = 7; PENDING_ROLLBACK = 8;
  }
  Code code = 1;
  string resources = 3;
  string notes = 4;
  TestSuite last_test_suite_run = 5;
}
message TestSuite {
  google.protobuf.Timestamp started_at = 1;
  google.protobuf.Timestamp completed_at = 2;
  repeated TestRun results = 3;
}
message TestRun {
  enum Status { UNKNOWN = 0; SUCCESS = 1; FAILURE = 2; RUNNING = 3; }
  string name = 1;
  Status status = 2;
  string info = 3;
  google.protobuf.Timestamp started_at = 4;
  google.protobuf.Timestamp completed_at = 5;
}
message Hook {
  enum Event {
    UNKNOWN = 0; PRE_INSTALL = 1; POST_INSTALL = 2; PRE_DELETE = 3; POST_DELETE = 4; PRE_UPGRADE = 5;
    POST_UPGRADE = 6; PRE_ROLLBACK = 7; POST_ROLLBACK = 8; RELEASE_TEST_SUCCESS = 9; RELEASE_TEST_FAILURE = 10;
    CRD_INSTALL = 11;
  }
  enum DeletePolicy { SUCCEEDED = 0; FAILED = 1; BEFORE_HOOK_CREATION = 2; }
  string name = 1;
  string kind = 2;
  string path = 3;
  string manifest = 4;
  repeated Event events = 5;
  google.protobuf.Timestamp last_run = 6;
  int32 weight = 7;
  repeated DeletePolicy delete_policies = 8;
}
`;

function load(): protobuf.Type {
  // keepCase: the JSON-like objects use the .proto field names (first_deployed), as Helm's protos spell them.
  const root = new protobuf.Root();
  for (const source of [wellKnown, chart, release]) protobuf.parse(source, root, { keepCase: true });
  root.resolveAll();
  return root.lookupType('hapi.release.Release');
}

/** hapi.release.Release: decode Tiller's bytes with it; tests encode their Tiller releases with it too. */
export const helm2ReleaseType: protobuf.Type = load();

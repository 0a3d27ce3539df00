package io.liverec.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One training of a recall or ranking model: sampling → training → evaluation → registration. */
@Group(Groups.LIVEREC)
@Version(Groups.V1ALPHA1)
@Kind("TrainingRun")
@ShortNames({"tr", "trun"})
public class TrainingRun extends CustomResource<TrainingRunSpec, TrainingRunStatus>
    implements Namespaced {}

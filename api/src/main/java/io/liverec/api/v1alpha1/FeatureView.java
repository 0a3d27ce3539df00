package io.liverec.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A Feast-style feature view: registered in the feature registry and materialized on a schedule.
 */
@Group(Groups.LIVEREC)
@Version(Groups.V1ALPHA1)
@Kind("FeatureView")
@ShortNames({"fv"})
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(
    name = "Registry",
    jsonPath = ".status.registryVersion",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Schedule", jsonPath = ".spec.materialization.schedule")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class FeatureView extends CustomResource<FeatureViewSpec, FeatureViewStatus>
    implements Namespaced {}

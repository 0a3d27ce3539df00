# LiveRec: Triton Python-backend model that serves the ONNX file of its version directory
# (model.onnx) with the onnxruntime package. Written by io.liverec.serving.repository
# .ModelRepositoryPublisher for servers without Triton's onnxruntime backend; it serves the same
# tensor names, types and shapes (Triton applies config.pbtxt's dims/reshape around it).
#
# Parameters (config.pbtxt `parameters`, all optional):
#   intra_op_threads  ONNX Runtime threads per instance (default 1)
import json
import os

import numpy as np
import onnxruntime as ort
import triton_python_backend_utils as pb_utils


class TritonPythonModel:
    def initialize(self, args):
        config = json.loads(args["model_config"])
        params = {k: v.get("string_value", "") for k, v in config.get("parameters", {}).items()}
        path = os.path.join(args["model_repository"], args["model_version"], "model.onnx")
        options = ort.SessionOptions()
        options.intra_op_num_threads = int(params.get("intra_op_threads") or 1)
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            path, sess_options=options, providers=["CPUExecutionProvider"]
        )
        self.inputs = [i["name"] for i in config["input"]]
        self.outputs = [o["name"] for o in config["output"]]
        graph_inputs = {i.name for i in self.session.get_inputs()}
        graph_outputs = {o.name for o in self.session.get_outputs()}
        missing = [n for n in self.inputs if n not in graph_inputs] + [
            n for n in self.outputs if n not in graph_outputs
        ]
        if missing:
            raise pb_utils.TritonModelException(
                "config.pbtxt names tensors the ONNX model does not have: " + ", ".join(missing)
            )

    def execute(self, requests):
        responses = []
        for request in requests:
            try:
                feeds = {}
                for name in self.inputs:
                    tensor = pb_utils.get_input_tensor_by_name(request, name)
                    if tensor is None:
                        raise ValueError("input '" + name + "' is missing")
                    feeds[name] = tensor.as_numpy()
                requested = set(request.requested_output_names())
                wanted = [n for n in self.outputs if n in requested] or self.outputs
                values = self.session.run(wanted, feeds)
                responses.append(
                    pb_utils.InferenceResponse(
                        [pb_utils.Tensor(n, np.ascontiguousarray(v)) for n, v in zip(wanted, values)]
                    )
                )
            except Exception as e:  # one bad request must not fail the others of the batch
                responses.append(pb_utils.InferenceResponse(error=pb_utils.TritonError(str(e))))
        return responses

    def finalize(self):
        self.session = None

package org.chroma402.app.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.chroma402.app.Assembly;
import org.chroma402.app.config.Chroma402Config;
import org.chroma402.app.config.ServeConfig;
import org.chroma402.app.config.SettingRegistry;
import org.chroma402.app.config.Settings;
import org.chroma402.colorize.ColorizationException;
import org.chroma402.colorize.pipeline.ColorizationEngine;
import org.chroma402.server.metrics.BuildInfo;
import org.chroma402.server.worker.InferenceWorker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code chroma402 worker}: serves this machine's models over the Open Inference Protocol, for
 * front-ends whose {@code engine.remote.urls} name it: a GPU box joins a fleet without Triton.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Serve the installed models over the Open Inference Protocol (KServe v2 / Triton HTTP) for front-ends.")
public final class WorkerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(WorkerCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ConfigOptions options;

    @Option(names = "--host", description = "Address to listen on (default: 127.0.0.1).")
    String host;
    @Option(names = {"-p", "--port"}, description = "Port to listen on (default: 8000).")
    Integer port;

    @Override
    public Integer call() throws Exception {
        if (host != null) {
            options.flags.put("worker.host", host);
        }
        if (port != null) {
            options.flags.put("worker.port", port.toString());
        }
        Settings settings = options.settings();
        Chroma402Config config = options.config();
        Map<String, ColorizationEngine> engines = new LinkedHashMap<>();
        ServeConfig serve = ServeConfig.from(settings, config);
        for (String name : serve.prices().keySet()) {
            try {
                engines.put(name, Assembly.engine(config, name));
            } catch (ColorizationException e) {
                log.warn("model {} is not served: {}", name, e.getMessage());
            }
        }
        if (engines.isEmpty()) {
            spec.commandLine().getErr().println("error: no model is installed in " + config.models().directory()
                    + ": see 'chroma402 models list'");
            return ExitCodes.FAILURE;
        }
        String token = settings.get(SettingRegistry.WORKER_TOKEN).orElse(null);
        String bind = settings.string(SettingRegistry.WORKER_HOST);
        if (token == null && !bind.equals("127.0.0.1") && !bind.equals("::1") && !bind.equals("localhost")) {
            log.warn("worker.token is not set and the worker listens on {}: anyone who reaches it can run the models", bind);
        }
        InferenceWorker worker = new InferenceWorker(engines, bind, settings.integer(SettingRegistry.WORKER_PORT),
                BuildInfo.of(WorkerCommand.class).version(), token, serve.server().connections());
        AtomicBoolean closed = new AtomicBoolean();
        Runnable closeOnce = () -> {
            if (closed.compareAndSet(false, true)) {
                worker.close();
                engines.values().forEach(ColorizationEngine::close);
            }
        };
        // Only for the ways out StopSignal does not see: there ONNX Runtime's own hook races this one.
        Runtime.getRuntime().addShutdownHook(new Thread(closeOnce, "shutdown"));
        StopSignal stop = StopSignal.install();
        int listening = worker.start();
        spec.commandLine().getOut().println("Chroma402 worker is serving " + engines.keySet() + " at http://" + bind + ":"
                + listening + "/v2  (Ctrl-C to stop)");
        spec.commandLine().getOut().flush();
        log.info("{}: stopping", stop.await());
        closeOnce.run();
        return ExitCodes.OK;
    }
}
